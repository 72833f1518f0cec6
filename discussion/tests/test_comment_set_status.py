"""comment_set_status: approving, rejecting or holding a comment keeps every counter exact."""

from __future__ import annotations

import pytest
from django.core import mail

from discussion.models import Comment, Thread
from discussion.services import comment_set_status
from discussion.tests.factories import make_comment, make_thread
from discussion.tests.readers import make_reader

pytestmark = pytest.mark.django_db


def _counts(thread, root):
    thread = Thread.objects.get(pk=thread.pk)
    return thread.comment_count, Comment.objects.get(pk=root.pk).reply_count, thread.version


def test_rejecting_a_published_reply_takes_it_out_of_both_counts_and_bumps_the_version():
    thread = make_thread()
    root = make_comment(thread, "Root")
    reply = make_comment(thread, "Reply", parent=root)
    count, replies, version = _counts(thread, root)
    comment_set_status(comment=reply, status=Comment.Status.REJECTED)
    assert _counts(thread, root) == (count - 1, replies - 1, version + 1)


def test_approving_a_held_reply_counts_it_once():
    thread = make_thread()
    root = make_comment(thread, "Root")
    reply = make_comment(thread, "Reply", parent=root)
    comment_set_status(comment=reply, status=Comment.Status.PENDING)
    comment_set_status(comment=reply, status=Comment.Status.PUBLISHED)
    comment_set_status(comment=reply, status=Comment.Status.PUBLISHED)  # twice: no double count
    assert _counts(thread, root)[:2] == (2, 1)


def test_moving_between_two_hidden_states_changes_no_count():
    thread = make_thread()
    comment = make_comment(thread, "Root")
    comment_set_status(comment=comment, status=Comment.Status.PENDING)
    comment_set_status(comment=comment, status=Comment.Status.REJECTED)
    assert Thread.objects.get(pk=thread.pk).comment_count == 0


def test_an_unknown_status_is_refused():
    with pytest.raises(ValueError):
        comment_set_status(comment=make_comment(make_thread()), status="vanished")


def test_approving_a_held_reply_notifies_the_parents_author_once(
    settings, django_capture_on_commit_callbacks
):
    # A reply rejected and published again queues its task again (a held reply it was never
    # told of is told then); its ReplyNotification row keeps it to one email.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    ada = make_reader("Ada", email="ada@example.com")
    thread = make_thread()
    parent = make_comment(thread, "Parent", name="Ada", user_id=ada.pk)
    reply = make_comment(thread, "Held reply", parent=parent)
    Comment.objects.filter(pk=reply.pk).update(status=Comment.Status.PENDING)
    reply.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        comment_set_status(comment=reply, status=Comment.Status.PUBLISHED)
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        comment_set_status(comment=reply, status=Comment.Status.REJECTED)
        comment_set_status(comment=reply, status=Comment.Status.PUBLISHED)
    assert len(mail.outbox) == 1
