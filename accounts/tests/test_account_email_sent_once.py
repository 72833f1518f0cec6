"""One of allauth's emails is sent once however many times its task runs: the task run again
after its worker died having sent it (the scheduler queues a lost worker's task again) sends
nothing more; one whose worker died before noting it sent sends it again under the same
Message-ID (accounts.account_emails, its ``AccountEmail`` row). Real SMTP on loopback (aiosmtpd),
the database task backend, its worker in-process."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskContext
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from accounts.models import AccountEmail
from discussion.tests.readers import make_reader
from moderation.tests.test_decision_email_task import _work

pytestmark = pytest.mark.django_db

TASK_PATH = "accounts.tasks.account_email_send"


@pytest.fixture
def reset_task(client, settings) -> DBTaskResult:
    """Ada asks for a password reset; its email's task, queued for a worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASK_WORKER_LOST_SECONDS = 60
    make_reader("Ada", email="ada@example.com")
    client.post("/accounts/password/reset/", {"email": "ada@example.com"})
    return DBTaskResult.objects.get(task_path=TASK_PATH)


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
    _work(task, "second")
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.worker_ids == ["first", "second"]


@pytest.mark.parametrize("smtp_server", [[]], indirect=True)
def test_a_reset_email_task_run_again_after_its_worker_died_having_sent_it_sends_nothing(
    reset_task, smtp_server
):
    _run_by_a_worker_that_then_dies(reset_task)
    assert len(smtp_server.delivered) == 1

    _run_by_the_next_worker(reset_task)

    assert json.dumps(reset_task.return_value) == "false"  # nothing went out this time
    [email] = smtp_server.delivered
    assert str(email["To"]) == "ada@example.com"
    assert AccountEmail.objects.get().sent_at is not None


@pytest.mark.parametrize("smtp_server", [[]], indirect=True)
def test_a_reset_email_whose_worker_died_before_noting_it_sent_goes_again_as_the_same_message(
    reset_task, smtp_server
):
    """Killed between the mail server's yes and the note of it, the worker leaves the email
    recorded as being sent by its attempt: the next attempt sends it again, under the same
    Message-ID, by which mail systems know a copy."""
    _run_by_a_worker_that_then_dies(reset_task)
    AccountEmail.objects.update(sent_at=None)  # the note the dead worker never wrote

    _run_by_the_next_worker(reset_task)

    assert json.dumps(reset_task.return_value) == "true"
    first, again = smtp_server.delivered
    assert first["Message-ID"] == again["Message-ID"]
    assert AccountEmail.objects.get().sent_at is not None


@pytest.mark.parametrize("smtp_server", [["451 4.7.1 Try again later"]], indirect=True)
def test_a_reset_email_refused_for_now_leaves_no_record_and_its_later_task_sends_it(
    reset_task, smtp_server
):
    assert _work(reset_task, "first").status == TaskResultStatus.FAILED
    assert not AccountEmail.objects.exists()

    again = DBTaskResult.objects.exclude(pk=reset_task.pk).get(task_path=TASK_PATH)
    DBTaskResult.objects.filter(pk=again.pk).update(run_after=timezone.now())
    assert _work(DBTaskResult.objects.get(pk=again.pk), "second").status == (
        TaskResultStatus.SUCCESSFUL
    )

    assert [str(m["To"]) for m in smtp_server.delivered] == ["ada@example.com"]
    assert AccountEmail.objects.get().sent_at is not None
