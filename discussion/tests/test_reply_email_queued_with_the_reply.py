"""A reply's email to its parent's author is queued with the reply: its task's row commits with
the comment, or not at all. It was queued once the comment had committed
(``transaction.on_commit``), so an app process killed in that moment (a deploy, the
out-of-memory killer) left the reply posted and the member never told. The same for a held
reply a moderator approves. Run outside a test transaction, as the app runs a request; on
PostgreSQL the reply and its task's row are one statement that commits by itself
(test_one_statement.py)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.tests.processes import killed_at_commit
from discussion.errors import CommentRefused
from discussion.models import Comment, Thread
from discussion.screening import Verdict
from discussion.services import comment_set_status
from discussion.tests.factories import make_comment, make_thread
from discussion.tests.readers import make_reader
from discussion.tests.test_reply_email_refused_for_now import TASK_PATH, _work

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class LaterStepFailed(Exception):
    """What the caller did next, in the same transaction, failed."""


@pytest.fixture
def adas_comment() -> Comment:
    ada = make_reader("Ada", email="ada@example.com")
    return make_comment(make_thread(title="Council votes"), "My view.", name="Ada", user_id=ada.pk)


def _reply(parent: Comment) -> Comment:
    return make_comment(parent.thread, "I disagree.", name="Bob", parent=parent)


def _tasks() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=TASK_PATH))


def test_a_reply_whose_process_is_killed_as_it_commits_still_emails_the_parents_author(
    adas_comment,
):
    with killed_at_commit():
        reply = _reply(adas_comment)

    [task] = _tasks()
    assert task.task_result.kwargs == {"comment_id": reply.pk}
    assert _work(task).status == TaskResultStatus.SUCCESSFUL
    assert [email.to for email in mail.outbox] == [["ada@example.com"]]


def test_a_reply_rolled_back_leaves_no_email_task(adas_comment):
    with pytest.raises(LaterStepFailed), transaction.atomic():
        _reply(adas_comment)
        raise LaterStepFailed

    assert not Comment.objects.filter(parent=adas_comment).exists()
    assert _tasks() == []


def test_a_reply_posted_on_its_own_leaves_exactly_one_email_task(adas_comment):
    reply = _reply(adas_comment)  # no transaction of the caller's: the comment's own

    assert [task.task_result.kwargs for task in _tasks()] == [{"comment_id": reply.pk}]


def test_a_reply_refused_as_the_thread_closed_meanwhile_leaves_no_email_task(adas_comment):
    Thread.objects.filter(pk=adas_comment.thread_id).update(is_closed=True)

    with pytest.raises(CommentRefused, match="closed"):
        _reply(adas_comment)

    assert not Comment.objects.filter(parent=adas_comment).exists()
    assert _tasks() == []


@pytest.fixture
def held_reply(adas_comment) -> Comment:
    """Bob's reply, held for review by screening: it queued no email."""
    reply = make_comment(
        adas_comment.thread,
        "I disagree.",
        name="Bob",
        parent=adas_comment,
        verdict=Verdict(outcome="hold", reasons=("Held for review.",), codes=("held",)),
    )
    assert reply.status == Comment.Status.PENDING
    assert _tasks() == []
    return reply


def test_an_approval_whose_process_is_killed_as_it_commits_still_emails_the_parents_author(
    held_reply,
):
    with killed_at_commit():
        comment_set_status(comment=held_reply, status=Comment.Status.PUBLISHED)

    [task] = _tasks()
    assert task.task_result.kwargs == {"comment_id": held_reply.pk}


def test_an_approval_rolled_back_leaves_no_email_task(held_reply):
    with pytest.raises(LaterStepFailed), transaction.atomic():
        comment_set_status(comment=held_reply, status=Comment.Status.PUBLISHED)
        raise LaterStepFailed

    assert Comment.objects.get(pk=held_reply.pk).status == Comment.Status.PENDING
    assert _tasks() == []
