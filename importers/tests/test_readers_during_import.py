"""A comment import does not keep readers from commenting while it runs: while the import waits
for an outside service (Akismet, here on loopback and held up mid-import), it holds no write lock,
so a reader's comment on another article, or on the article being imported into, is saved at
once; on SQLite it neither waits for the import nor fails with "database is locked"."""

from __future__ import annotations

import threading
import time

import pytest
from django.test import Client

from core.tests.processes import wait_for
from discussion.models import Comment
from importers.models import ImportRun
from importers.tests.held_imports import held_mid_import
from newsroom.models import ArticlePage
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PROMPTLY = 3.0  # seconds: a post on this shared machine, with room to spare
HELD_FOR = 10.0  # seconds Akismet holds the import up (a blocked post waits at least this long)


def _post_timed(article, body: str) -> tuple[int, float]:
    """A guest's comment posted through the article's form; its status code and seconds."""
    reader = Client(raise_request_exception=False)
    start = time.monotonic()
    response = reader.post(
        article.url, {"body": body, "author_name": "Mykola", "idempotency_key": "", "parent": ""}
    )
    return response.status_code, time.monotonic() - start


@pytest.fixture
def articles(site) -> dict[str, ArticlePage]:
    """The article an import goes to, and another, made before the import starts."""
    return {
        "imported": make_article(title="The imported article"),
        "other": make_article(title="Another article"),
    }


@pytest.fixture
def import_held(client, boss, site, akismet, articles):
    """An import onto its article, held up by Akismet part-way for HELD_FOR seconds (then
    released, so that a post the import blocks ends too)."""
    run, process = held_mid_import(client, site, akismet, articles["imported"])
    release = threading.Timer(HELD_FOR, akismet.released.set)
    release.start()
    try:
        yield
        akismet.released.set()
        wait_for(lambda: ImportRun.objects.get(pk=run.pk).finished, "the import to finish")
        assert ImportRun.objects.get(pk=run.pk).status == ImportRun.Status.DONE
    finally:
        release.cancel()
        process.kill()
        process.wait()


def test_a_reader_comments_on_another_article_at_once_while_an_import_runs(articles, import_held):
    other = articles["other"]

    status, took = _post_timed(other, "Posted beside the import.")

    assert status == 302
    assert took < PROMPTLY, f"the reader's comment took {took:.1f} s"
    assert Comment.objects.filter(thread__page=other, body="Posted beside the import.").exists()


def test_a_reader_comments_on_the_article_being_imported_into_at_once(articles, import_held):
    imported = articles["imported"]

    status, took = _post_timed(imported, "Posted into the import.")

    assert status == 302
    assert took < PROMPTLY, f"the reader's comment took {took:.1f} s"
    assert Comment.objects.filter(thread__page=imported, body="Posted into the import.").exists()
