"""An import's held comments reach the moderators' open queues (moderation.live_queue) as one
event for each batch it commits, naming them all, not as an event each."""

from __future__ import annotations

import asyncio
import io

import pytest
from django.core.management import call_command

from discussion import live
from discussion.models import Comment
from importers.tests.exports import (
    disqus,
    disqus_post,
    disqus_thread,
    wordpress,
    wp_comment,
    wp_item,
)
from moderation import live_queue
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def _queue_events_since(position: str) -> list[tuple[str, dict]]:
    events = asyncio.run(live.broker().since(live_queue.FEED, position))
    assert events is not None, "more events than the feed keeps"
    return [(event.kind, event.data) for event in events]


def _import(tmp_path, capture, data: bytes, platform: str) -> None:
    """Import ``data``, running what each batch leaves for after its commit."""
    path = tmp_path / "export.xml"
    path.write_bytes(data)
    with capture(execute=True):
        call_command("import_comments", platform, str(path), "--quiet", stdout=io.StringIO())


def test_comments_held_by_screening_reach_the_pending_queue_in_one_event(
    tmp_path, django_capture_on_commit_callbacks
):
    article = make_article()
    posts = [
        disqus_post(f"p{n}", "t1", f"<p>The minister is a moron, number {n}.</p>")
        for n in range(12)
    ]
    before = live.position(live_queue.FEED)

    _import(
        tmp_path,
        django_capture_on_commit_callbacks,
        disqus(disqus_thread("t1", f"https://old.example.com{article.url}"), *posts),
        "disqus",
    )

    held = set(Comment.objects.filter(status=Comment.Status.PENDING).values_list("pk", "thread_id"))
    assert len(held) == 12
    [(kind, data)] = _queue_events_since(before)
    assert kind == "entered" and data["queue"] == "pending"
    assert {tuple(pair) for pair in data["comments"]} == held


def test_comments_waiting_for_approval_there_reach_the_pending_queue_in_one_event(
    tmp_path, django_capture_on_commit_callbacks
):
    article = make_article()
    comments = [wp_comment(str(n), f"Waiting, number {n}.", approved="0") for n in range(1, 9)]
    before = live.position(live_queue.FEED)

    _import(
        tmp_path,
        django_capture_on_commit_callbacks,
        wordpress(wp_item("1", f"https://old.example.com{article.url}", article.slug, *comments)),
        "wordpress",
    )

    held = set(Comment.objects.filter(status=Comment.Status.PENDING).values_list("pk", "thread_id"))
    assert len(held) == 8
    [(kind, data)] = _queue_events_since(before)
    assert kind == "entered" and data["queue"] == "pending"
    assert {tuple(pair) for pair in data["comments"]} == held
