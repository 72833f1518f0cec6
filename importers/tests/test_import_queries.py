"""How many times an import asks the database whether a comment is here already: once a batch,
whatever its size, not once or more a comment (two thirds of a large import's queries)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from importers.tests.exports import disqus, disqus_post, disqus_thread, run_import
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

COMMENTS = 60


def _export(article) -> bytes:
    """COMMENTS comments, every other one a reply to the one before it."""
    posts = [
        disqus_post(
            f"p{n}",
            "t1",
            f"<p>Comment number {n}.</p>",
            name=f"Reader {n}",
            parent=f"p{n - 1}" if n % 2 else None,
            when=f"2024-05-01T09:{n:02d}:00Z",
        )
        for n in range(COMMENTS)
    ]
    return disqus(disqus_thread("t1", f"https://old.example.com{article.url}"), *posts)


def _key_lookups(queries) -> int:
    """Queries that ask for comments by their key alone (comment_create's own check of a
    submit's key, which a reader's post needs too, is sent with its other reads)."""
    texts = [query["sql"] for query in queries]
    return sum(
        1
        for text in texts
        if text.startswith("SELECT")
        and "idempotency_key" in text
        and "discussion_comment" in text
        and "name_loose" not in text
    )


def test_an_import_looks_its_comments_up_once_a_batch(tmp_path):
    article = make_article()

    with CaptureQueriesContext(connection) as queries:
        report = run_import(tmp_path, "disqus", _export(article))

    assert f"{COMMENTS} comments imported" in report
    assert _key_lookups(queries.captured_queries) <= 3


def test_a_second_run_looks_its_comments_up_once_a_batch(tmp_path):
    article = make_article()
    run_import(tmp_path, "disqus", _export(article))

    with CaptureQueriesContext(connection) as queries:
        report = run_import(tmp_path, "disqus", _export(article))

    assert f"{COMMENTS} already here" in report
    assert _key_lookups(queries.captured_queries) <= 3
