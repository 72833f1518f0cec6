"""An import's batch tells the readers of each thread it wrote to as a reader's comment does:
an event for each comment published (the "N new comments" button counts them), sent once the
batch commits, and the article's cached pages staled, so that the page a reader fetches on
hearing one shows it."""

from __future__ import annotations

import asyncio
import io

import pytest
from django.core.management import call_command

from core import pagecache
from discussion import live
from discussion.models import Comment
from importers.tests.exports import disqus, disqus_post, disqus_thread
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_each_published_comment_of_a_batch_reaches_the_threads_readers_and_its_pages_stale(
    tmp_path, django_capture_on_commit_callbacks
):
    article = make_article()
    posts = [disqus_post(f"p{n}", "t1", f"<p>Comment {n}.</p>") for n in range(5)]
    posts.append(disqus_post("r1", "t1", "<p>A reply.</p>", parent="p0"))
    path = tmp_path / "export.xml"
    path.write_bytes(disqus(disqus_thread("t1", f"https://old.example.com{article.url}"), *posts))
    page = pagecache.page_token(article.pk)
    page_token_before = pagecache.tokens([page])[page]  # as a cached page of it was stored under

    with django_capture_on_commit_callbacks() as callbacks:
        call_command("import_comments", "disqus", str(path), "--quiet", stdout=io.StringIO())
    thread_id = Comment.objects.values_list("thread_id", flat=True).first()
    before = live.position(thread_id)
    for callback in callbacks:
        callback()

    events = asyncio.run(live.broker().since(thread_id, before))
    comments = {c.idempotency_key: c for c in Comment.objects.all()}
    assert [(e.kind, e.data["id"]) for e in events if e.kind == "comment"] == [
        ("comment", comments[key].pk)
        for key in ["disqus:p0", "disqus:p1", "disqus:p2", "disqus:p3", "disqus:p4", "disqus:r1"]
    ]
    assert events[-1].data == {
        "id": comments["disqus:r1"].pk,
        "parent": comments["disqus:p0"].pk,
        "root": comments["disqus:p0"].pk,
    }
    assert pagecache.tokens([page])[page] != page_token_before
