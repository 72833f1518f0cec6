"""A reply email the mail server refuses for now (451) is sent by a later task, once; one it
refuses for good (550) is not tried again (core.email_tasks). Real SMTP on loopback (aiosmtpd),
the database task backend, its worker in-process."""

from __future__ import annotations

import socket

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.management.commands.db_worker import Worker
from discussion.models import ReplyNotification
from discussion.tests.factories import make_comment, make_thread
from discussion.tests.readers import make_reader

pytestmark = pytest.mark.django_db

TASK_PATH = "discussion.tasks.reply_notification_send"


def _work(task: DBTaskResult) -> DBTaskResult:
    task.claim("worker")
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="worker",
        excluded_queue_names=[],
    ).run_task(task)
    task.refresh_from_db()
    return task


@pytest.fixture
def reply_task(django_capture_on_commit_callbacks) -> DBTaskResult:
    """Bob's reply to Ada's comment, whose email task its commit queued."""
    ada = make_reader("Ada", email="ada@example.com")
    thread = make_thread(title="Council votes")
    parent = make_comment(thread, "My view.", name="Ada", user_id=ada.pk)
    with django_capture_on_commit_callbacks(execute=True):
        make_comment(thread, "I disagree.", name="Bob", parent=parent)
    return DBTaskResult.objects.get(task_path=TASK_PATH)


@pytest.mark.parametrize("smtp_server", [["451 4.3.0 Mail server busy"]], indirect=True)
def test_a_reply_email_refused_for_now_is_sent_by_the_task_queued_again_once(
    reply_task, smtp_server
):
    assert _work(reply_task).status == TaskResultStatus.FAILED
    again = DBTaskResult.objects.exclude(pk=reply_task.pk).get(task_path=TASK_PATH)
    assert again.task_result.kwargs == {"comment_id": reply_task.task_result.kwargs["comment_id"],
                                        "retry": 1}  # fmt: skip
    DBTaskResult.objects.filter(pk=again.pk).update(run_after=timezone.now())  # its time came

    assert _work(DBTaskResult.objects.get(pk=again.pk)).status == TaskResultStatus.SUCCESSFUL
    assert [(str(m["To"]), str(m["Subject"])) for m in smtp_server.delivered] == [
        ("ada@example.com", "Bob replied to your comment")
    ]
    assert ReplyNotification.objects.get().sent_at is not None


@pytest.mark.parametrize("smtp_server", [["550 5.1.1 No such mailbox"]], indirect=True)
def test_a_reply_email_refused_for_good_is_not_tried_again(reply_task, smtp_server):
    assert _work(reply_task).status == TaskResultStatus.FAILED
    assert DBTaskResult.objects.filter(task_path=TASK_PATH).count() == 1
    assert smtp_server.delivered == []
    assert not ReplyNotification.objects.exists()


@pytest.mark.parametrize("smtp_server", [["451 4.3.0 Mail server busy"] * 3], indirect=True)
def test_a_reply_email_refused_for_now_every_time_stops_after_email_retries(
    reply_task, smtp_server, settings
):
    settings.EMAIL_RETRIES = 2
    task = reply_task
    for _ in range(3):
        assert _work(task).status == TaskResultStatus.FAILED
        queued = DBTaskResult.objects.filter(task_path=TASK_PATH, status=TaskResultStatus.READY)
        queued.update(run_after=timezone.now())  # its time came
        task = queued.first()
    assert task is None  # the third try queued none
    assert DBTaskResult.objects.filter(task_path=TASK_PATH).count() == 3
    assert smtp_server.delivered == []


def test_a_reply_email_whose_mail_server_cannot_be_reached_is_queued_again(reply_task, settings):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]  # nothing listens on it once the socket is closed
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port

    task = _work(reply_task)

    assert task.status == TaskResultStatus.FAILED
    assert "ConnectionRefusedError" in task.traceback
    again = DBTaskResult.objects.get(task_path=TASK_PATH, status=TaskResultStatus.READY)
    assert again.task_result.kwargs["retry"] == 1
    assert not ReplyNotification.objects.exists()
