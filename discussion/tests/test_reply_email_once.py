"""A reply is told to its parent's author once, however many times its task runs: a second task
for the same reply (held after it was published, then approved again), or the same task run again
after its worker was lost once the email had gone (discussion.notifications). The worker killed
while sending, and the next one sending it, is in test_reply_email_worker_killed.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskContext
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from accounts.models import Reader
from core.management.commands.db_worker import Worker
from discussion.models import Comment, ReplyNotification
from discussion.notifications import reply_digests_send
from discussion.services import comment_set_status
from discussion.tests.factories import make_comment, make_thread
from discussion.tests.readers import make_reader

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada():
    return make_reader("Ada", email="ada@example.com")


def _immediate(settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _held_and_approved_again(reply: Comment, capture) -> None:
    """A moderator holds a published reply for review, then approves it again: the approval
    queues the reply's email task a second time."""
    with capture(execute=True):
        comment_set_status(comment=reply, status=Comment.Status.PENDING)
    with capture(execute=True):
        comment_set_status(comment=reply, status=Comment.Status.PUBLISHED)


def test_a_reply_held_after_publication_and_approved_again_emails_the_parents_author_once(
    ada, settings, django_capture_on_commit_callbacks
):
    _immediate(settings)
    thread = make_thread(title="Council votes")
    parent = make_comment(thread, "My view.", name="Ada", user_id=ada.pk)
    with django_capture_on_commit_callbacks(execute=True):
        reply = make_comment(thread, "I disagree.", name="Bob", parent=parent)
    assert len(mail.outbox) == 1

    _held_and_approved_again(reply, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1
    assert ReplyNotification.objects.get().sent_at is not None


def test_a_reply_held_and_approved_again_is_in_the_daily_digest_once(
    ada, settings, django_capture_on_commit_callbacks
):
    _immediate(settings)
    Reader.objects.filter(user=ada).update(reply_digest=True)
    thread = make_thread(title="Council votes")
    parent = make_comment(thread, "My view.", name="Ada", user_id=ada.pk)
    with django_capture_on_commit_callbacks(execute=True):
        reply = make_comment(thread, "I disagree.", name="Bob", parent=parent)

    _held_and_approved_again(reply, django_capture_on_commit_callbacks)
    reply_digests_send()

    assert [message.subject for message in mail.outbox] == ["1 new reply to your comments"]


def _run_by_a_worker_that_then_dies(task: DBTaskResult) -> None:
    """The first worker takes ``task`` and runs it, as db_worker does, then is killed before it
    marks it done: the task stays RUNNING, and the scheduler's pass queues it again."""
    task.claim("first")
    task.task.call(TaskContext(task_result=task.task_result), **task.task_result.kwargs)
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=timezone.now() - timedelta(hours=1))
    call_command("fail_lost_tasks", verbosity=0)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY


def _run_by_the_next_worker(task: DBTaskResult) -> None:
    task.claim("second")
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="second",
        excluded_queue_names=[],
    ).run_task(task)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.worker_ids == ["first", "second"]


@pytest.fixture
def reply_task(ada, settings, django_capture_on_commit_callbacks) -> DBTaskResult:
    """A reply to Ada's comment, and its email task, queued in the database."""
    settings.TASK_WORKER_LOST_SECONDS = 60
    thread = make_thread()
    parent = make_comment(thread, "My view.", name="Ada", user_id=ada.pk)
    with django_capture_on_commit_callbacks(execute=True):
        make_comment(thread, "I disagree.", name="Bob", parent=parent)
    return DBTaskResult.objects.get(task_path="discussion.tasks.reply_notification_send")


def test_a_reply_email_task_run_again_after_its_worker_died_having_sent_it_sends_nothing(
    reply_task,
):
    _run_by_a_worker_that_then_dies(reply_task)
    assert len(mail.outbox) == 1

    _run_by_the_next_worker(reply_task)

    assert reply_task.return_value is False  # nothing went out this time
    assert len(mail.outbox) == 1
    assert ReplyNotification.objects.get().sent_at is not None


def test_a_reply_email_whose_worker_died_before_noting_it_sent_goes_again_as_the_same_message(
    reply_task,
):
    """Killed between the mail server's yes and the note of it, the worker leaves the email
    recorded as being sent by its attempt: the next attempt sends it again, under the same
    Message-ID, by which mail systems know a copy."""
    _run_by_a_worker_that_then_dies(reply_task)
    ReplyNotification.objects.update(sent_at=None)  # the note the dead worker never wrote

    _run_by_the_next_worker(reply_task)

    assert reply_task.return_value is True
    assert len(mail.outbox) == 2
    first, again = (message.message()["Message-ID"] for message in mail.outbox)
    assert first == again
    assert ReplyNotification.objects.get().sent_at is not None
