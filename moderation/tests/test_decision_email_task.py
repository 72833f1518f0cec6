"""A moderation decision's email to its author is a background task: the moderator's request
only queues it; it is sent once however many times its task runs; a mail server that refuses it
for now (451) has it sent later, and one that refuses it for good (550) is logged and not tried
again. Real SMTP on loopback (aiosmtpd), the database task backend, its worker in-process."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks import TaskContext
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.management.commands.db_worker import Worker
from discussion.models import Comment
from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from moderation.actions import RejectComment, text_token
from moderation.models import DecisionEmail, ModerationAction
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

TASK_PATH = "moderation.tasks.decision_email_send"


@pytest.fixture
def comment() -> Comment:
    """A guest's published comment, with the address they gave."""
    comment = make_comment(thread_ensure(page=make_article()), "Buy now.", name="Olena")
    Comment.objects.filter(pk=comment.pk).update(author_email="olena@example.com")
    comment.refresh_from_db()
    return comment


def _rejected(comment, moderator, capture) -> DBTaskResult:
    """The moderator rejects ``comment``; the email task its commit queued."""
    with capture(execute=True):
        RejectComment(comment=comment, user=moderator, reason_code="spam").execute()
    return DBTaskResult.objects.get(task_path=TASK_PATH)


def _work(task: DBTaskResult, worker_id: str = "worker") -> DBTaskResult:
    """A task worker takes ``task`` and runs it, as manage.py db_worker does."""
    task.claim(worker_id)
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    ).run_task(task)
    task.refresh_from_db()
    return task


def test_the_moderators_request_queues_the_email_and_does_not_send_it(
    moderator_client, comment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(
            f"/admin/moderation/reviews/{comment.review.pk}/act/",
            {"action": "reject", "reason_code": "spam", "seen": text_token(comment.body)},
        )
    assert response.status_code in (200, 302)

    assert mail.outbox == []
    task = DBTaskResult.objects.get(task_path=TASK_PATH)
    assert task.status == TaskResultStatus.READY
    action = ModerationAction.objects.get(kind=ModerationAction.Kind.REJECT)
    assert task.task_result.kwargs == {"action_id": action.pk, "user_id": None}


def test_a_decisions_email_is_sent_once_when_its_task_runs_twice(
    moderator, comment, django_capture_on_commit_callbacks
):
    task = _rejected(comment, moderator, django_capture_on_commit_callbacks)
    assert _work(task).status == TaskResultStatus.SUCCESSFUL
    # Run again, as a task whose worker was lost after the email went is.
    task.task.call(TaskContext(task_result=task.task_result), **task.task_result.kwargs)

    [email] = mail.outbox
    assert email.subject == "Your comment was removed"
    assert email.to == ["olena@example.com"]
    assert "Buy now." in email.body
    assert DecisionEmail.objects.get().sent_at is not None


@pytest.mark.parametrize("smtp_server", [["451 4.7.1 Try again later"]], indirect=True)
def test_an_email_the_mail_server_refuses_for_now_is_sent_by_a_later_task_once(
    moderator, comment, django_capture_on_commit_callbacks, smtp_server, settings, caplog
):
    settings.EMAIL_RETRY_SECONDS = 60
    task = _rejected(comment, moderator, django_capture_on_commit_callbacks)
    action = ModerationAction.objects.get(kind=ModerationAction.Kind.REJECT)

    with caplog.at_level(logging.WARNING, logger="core.email_tasks"):
        assert _work(task, "first").status == TaskResultStatus.FAILED
    assert smtp_server.delivered == []
    again = DBTaskResult.objects.exclude(pk=task.pk).get(task_path=TASK_PATH)
    assert again.status == TaskResultStatus.READY
    # Kept back for EMAIL_RETRY_SECONDS, by django-tasks' own run_after.
    wait = again.run_after - timezone.now()
    assert timedelta(seconds=50) < wait <= timedelta(seconds=60)
    assert f"moderation action {action.pk} to its author" in caplog.text
    assert f"tried again in 60s as task id={again.id}" in caplog.text

    DBTaskResult.objects.filter(pk=again.pk).update(run_after=timezone.now())  # a minute later
    assert _work(DBTaskResult.objects.get(pk=again.pk), "second").status == (
        TaskResultStatus.SUCCESSFUL
    )

    assert [(str(m["To"]), str(m["Subject"])) for m in smtp_server.delivered] == [
        ("olena@example.com", "Your comment was removed")
    ]
    assert DecisionEmail.objects.get().sent_at is not None
    assert DBTaskResult.objects.filter(task_path=TASK_PATH).count() == 2


@pytest.mark.parametrize("smtp_server", [["550 5.1.1 No such mailbox"]], indirect=True)
def test_an_email_the_mail_server_refuses_for_good_is_logged_and_not_tried_again(
    moderator, comment, django_capture_on_commit_callbacks, smtp_server, caplog
):
    task = _rejected(comment, moderator, django_capture_on_commit_callbacks)
    action = ModerationAction.objects.get(kind=ModerationAction.Kind.REJECT)

    with caplog.at_level(logging.WARNING, logger="core.email_tasks"):
        task = _work(task)

    assert task.status == TaskResultStatus.FAILED
    assert "550" in task.traceback
    assert DBTaskResult.objects.filter(task_path=TASK_PATH).count() == 1
    [record] = [r for r in caplog.records if r.name == "core.email_tasks"]
    assert record.levelno == logging.ERROR
    assert f"moderation action {action.pk} to its author" in record.getMessage()
    assert "not tried again (a permanent failure)" in record.getMessage()
    assert not DecisionEmail.objects.exists()
