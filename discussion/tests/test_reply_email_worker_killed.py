"""A reply email whose task worker is killed (SIGKILL) while it sends is not lost: the scheduler's
pass queues the task again, and the next worker sends the email, once. A task whose workers are
killed on every attempt stops at TASK_ATTEMPTS. Real workers, a real SMTP server on loopback."""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.tests.processes import (
    database_shared_with_processes,
    wait_for,
    wait_for_heartbeats_older_than,
    worker,
)
from discussion.models import ReplyNotification
from discussion.tests.factories import make_comment, make_thread
from discussion.tests.readers import make_reader

# Its data (Wagtail's root page, content types) put back for the transactional tests after it.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LIMIT = 1  # TASK_WORKER_LOST_SECONDS, for the workers and the scheduler alike


class HoldingMailServer:
    """aiosmtpd's handler: the first ``hold`` emails it is sent are held (the SMTP client waits
    for an answer that does not come, until its worker is killed); the rest are delivered."""

    def __init__(self, *, hold: int) -> None:
        self.to_hold = hold
        self.held = 0
        self.delivered: list[email.message.EmailMessage] = []
        self.released = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        if self.to_hold:
            self.to_hold -= 1
            self.held += 1
            while not self.released.is_set():
                await asyncio.sleep(0.05)
            return "451 Try again later"
        self.delivered.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(request) -> Iterator[tuple[HoldingMailServer, int]]:
    handler = HoldingMailServer(hold=request.param)
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        handler.released.set()
        controller.stop()


@pytest.fixture
def reply_queued(settings, tmp_path, smtp) -> Iterator[dict[str, str]]:
    """Ada's comment and Bob's reply, whose email task is queued, in a database shared with the
    workers; the workers' environment, mail going to the loopback server."""
    settings.TASK_WORKER_LOST_SECONDS = LIMIT
    with database_shared_with_processes(tmp_path) as env:
        ada = make_reader("Ada", email="ada@example.com")
        thread = make_thread(title="Council votes")
        parent = make_comment(thread, "My view.", name="Ada", user_id=ada.pk)
        make_comment(thread, "I disagree.", name="Bob", parent=parent)  # queued after commit
        yield {
            **env,
            "TASK_WORKER_LOST_SECONDS": str(LIMIT),
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp[1]),
        }


def _task() -> DBTaskResult:
    return DBTaskResult.objects.get(task_path="discussion.tasks.reply_notification_send")


def _killed_while_sending(env: dict[str, str], server: HoldingMailServer, worker_id: str) -> None:
    """A worker takes the task and is killed while the mail server holds its email; then the
    scheduler's pass, once the worker's heartbeat is older than the limit."""
    held_before = server.held
    process = worker(env, f"--worker-id={worker_id}")
    try:
        wait_for(lambda: server.held > held_before, "the worker to send the email")
    finally:
        process.kill()
        process.wait()
    wait_for_heartbeats_older_than(LIMIT)
    call_command("fail_lost_tasks", verbosity=0)


@pytest.mark.parametrize("smtp", [1], indirect=True)
def test_a_reply_email_whose_worker_is_killed_while_sending_is_sent_by_the_next_worker_once(
    reply_queued, smtp
):
    server, _ = smtp
    _killed_while_sending(reply_queued, server, "killed")
    assert _task().status == TaskResultStatus.READY
    assert server.delivered == []

    process = worker(reply_queued, "--worker-id=next", "--batch")
    output = process.communicate(timeout=60)[0].decode()
    assert process.returncode == 0, output

    assert [(str(m["To"]), str(m["Subject"])) for m in server.delivered] == [
        ("ada@example.com", "Bob replied to your comment")
    ]
    task = _task()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.worker_ids == ["killed", "next"]
    assert "attempt 2 of 3 (the worker of the attempt before was lost)" in output
    assert ReplyNotification.objects.get().sent_at is not None


@pytest.mark.parametrize("smtp", [2], indirect=True)
def test_a_task_whose_worker_is_killed_on_every_attempt_fails_after_task_attempts(
    settings, reply_queued, smtp
):
    settings.TASK_ATTEMPTS = 2
    server, _ = smtp
    _killed_while_sending(reply_queued, server, "first")
    _killed_while_sending(reply_queued, server, "second")

    task = _task()
    assert task.status == TaskResultStatus.FAILED
    assert task.worker_ids == ["first", "second"]
    assert "worker second); after 2 attempts" in task.traceback
    assert server.delivered == []
    # Nor is it recorded as sent.
    assert not ReplyNotification.objects.filter(sent_at__isnull=False).exists()
