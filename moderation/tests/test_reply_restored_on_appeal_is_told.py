"""A reply held for review, rejected, and published again (its appeal upheld) is told to its
parent's author, as a held reply a moderator approves is: it is a reply they have never heard of,
published now. Told once: a reply published first, told then, and restored after a rejection is
not told again.

Before, only a reply moving from "pending" to "published" was told; one restored from
"rejected" appeared under the parent's comment without a word to its author."""

from __future__ import annotations

import pytest
from django.core import mail

from discussion.models import Comment
from discussion.tests.factories import make_comment, make_thread
from discussion.tests.readers import make_reader
from moderation.actions import DecideAppeal, RejectComment
from moderation.models import CommentReview
from moderation.services import appeal_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def parent():
    ada = make_reader("Ada", email="ada@example.com")
    return make_comment(make_thread(title="Council votes"), "My view.", name="Ada", user_id=ada.pk)


def _rejected_and_restored_on_appeal(reply: Comment, moderator, capture) -> None:
    with capture(execute=True):
        rejection = RejectComment(comment=reply, user=moderator, reason_code="abuse").execute()
    reader_key = CommentReview.objects.get(comment=reply).reader_key
    appeal = appeal_create(action=rejection, reader_key=reader_key, text="It was fair comment.")
    with capture(execute=True):
        DecideAppeal(appeal=appeal, uphold=True, user=moderator).execute()


def _reply_emails() -> list[str]:
    return [m.to[0] for m in mail.outbox if m.to == ["ada@example.com"]]


def test_a_held_reply_rejected_and_restored_on_appeal_is_told_to_the_parents_author(
    parent, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reply = make_comment(parent.thread, "You moron, read it again.", name="Bob", parent=parent)
    assert reply.status == Comment.Status.PENDING
    assert _reply_emails() == []

    _rejected_and_restored_on_appeal(reply, moderator, django_capture_on_commit_callbacks)

    assert Comment.objects.get(pk=reply.pk).status == Comment.Status.PUBLISHED
    assert _reply_emails() == ["ada@example.com"]


def test_a_reply_told_when_published_is_not_told_again_when_restored(
    parent, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reply = make_comment(parent.thread, "I disagree entirely.", name="Bob", parent=parent)
    assert _reply_emails() == ["ada@example.com"]

    _rejected_and_restored_on_appeal(reply, moderator, django_capture_on_commit_callbacks)

    assert _reply_emails() == ["ada@example.com"]
