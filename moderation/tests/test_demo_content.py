"""The demo's reference thread publishes under the default rules: angry, insulting language
about a state at war ("Mordor", "ruscists") is political speech, not abuse of a person."""

from __future__ import annotations

import pytest

from discussion import screening
from discussion.models import Comment
from discussion.services import comment_create
from discussion.tests.factories import make_thread
from newsroom.demo import content

pytestmark = pytest.mark.django_db


def _walk(items):
    for item in items:
        yield item
        yield from _walk(item.get("replies", []))


def test_the_reference_thread_mentions_the_state_insults_it_is_meant_to_show():
    text = " ".join(item["body"] for item in _walk(content.REFERENCE_COMMENTS))
    assert "Mordor" in text and "ruscist" in text


def test_every_reference_comment_publishes_through_comment_create_as_the_demo_loader_posts():
    thread = make_thread()

    def post(item, parent_id=None):
        comment = comment_create(
            thread=thread, body=item["body"], author_name=item["name"], parent_id=parent_id
        )
        assert comment.status == Comment.Status.PUBLISHED, item["body"]
        for reply in item.get("replies", []):
            post(reply, comment.pk)

    for item in content.REFERENCE_COMMENTS:
        post(item)


def test_every_demo_comment_would_publish_even_if_a_trusted_reader_posted_it():
    """The content checks (words, links, scorers) alone; trust and rate limits are per person."""
    thread = make_thread()
    items = list(_walk(content.REFERENCE_COMMENTS)) + list(content.long_thread_comments(300))
    for n, item in enumerate(items):
        verdict = screening.screen(
            screening.Submission(
                thread_id=thread.pk,
                body=item["body"],
                author_name=item["name"],
                user_id=None,
                parent_id=None,
                ip_address=f"10.0.{n // 250}.{n % 250}",
                source="reader",
                guest_key=f"demo-{n}",
            )
        )
        assert verdict.outcome == "publish", (item["body"], verdict.reasons)
