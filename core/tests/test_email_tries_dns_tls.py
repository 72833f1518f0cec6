"""An email task whose mail server's name is not resolved for now (the resolver's EAI_AGAIN), or
whose TLS handshake is cut short, is tried again later, as one refused for now is; one whose
mail server's certificate does not verify, or whose name does not exist (EAI_NONAME), is not,
and the log says why (core.email_tasks). A password reset's email, sent by the task worker
in-process (the database task backend); the mail server a STARTTLS server on loopback
(core/tests/starttls.py), the resolver a fake that answers for the test's names only."""

from __future__ import annotations

import logging
import socket

import pytest
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.tests.starttls import starttls_server
from discussion.tests.readers import make_reader
from moderation.tests.test_decision_email_task import _work

pytestmark = pytest.mark.django_db

TASK_PATH = "accounts.tasks.account_email_send"
NOT_FOR_NOW = "mail.resolver-down.test"  # its resolver's DNS server does not answer, for now
NO_SUCH_NAME = "mail.no-such-name.test"


@pytest.fixture
def reset_task(client, settings) -> DBTaskResult:
    """Ada asks for a password reset; its email's task, queued for a worker, to be sent by
    SMTP."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_TIMEOUT = 5
    make_reader("Ada", email="ada@example.com")
    client.post("/accounts/password/reset/", {"email": "ada@example.com"})
    return DBTaskResult.objects.get(task_path=TASK_PATH)


@pytest.fixture
def resolver(monkeypatch):
    """The resolver, as the mail client asks it (socket.getaddrinfo): a temporary failure for
    NOT_FOR_NOW, no such name for NO_SUCH_NAME, the system's answer for any other name."""
    system = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        if host == NOT_FOR_NOW:
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        if host == NO_SUCH_NAME:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return system(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def _tried_again(task: DBTaskResult) -> DBTaskResult | None:
    return DBTaskResult.objects.exclude(pk=task.pk).filter(task_path=TASK_PATH).first()


def _worked(task: DBTaskResult, caplog) -> logging.LogRecord:
    """The worker runs ``task``, which fails; what core.email_tasks logged of it."""
    with caplog.at_level(logging.WARNING, logger="core.email_tasks"):
        assert _work(task).status == TaskResultStatus.FAILED
    [record] = [r for r in caplog.records if r.name == "core.email_tasks"]
    assert "ada@example.com" not in record.getMessage()
    return record


def test_a_name_not_resolved_for_now_is_tried_again(reset_task, resolver, settings, caplog):
    settings.EMAIL_HOST, settings.EMAIL_PORT = NOT_FOR_NOW, 25

    record = _worked(reset_task, caplog)

    again = _tried_again(reset_task)
    assert again is not None and again.task_result.kwargs["retry"] == 1
    assert record.levelno == logging.WARNING
    assert "failed for now" in record.getMessage()
    assert "Temporary failure in name resolution" in record.getMessage()


def test_a_name_that_does_not_exist_is_not_tried_again_and_the_log_says_why(
    reset_task, resolver, settings, caplog
):
    settings.EMAIL_HOST, settings.EMAIL_PORT = NO_SUCH_NAME, 25

    record = _worked(reset_task, caplog)

    assert _tried_again(reset_task) is None
    assert record.levelno == logging.ERROR
    assert "not tried again (a permanent failure)" in record.getMessage()
    assert "the mail server's name (EMAIL_HOST) does not exist" in record.getMessage()


def test_a_tls_handshake_cut_short_is_tried_again(reset_task, settings, tmp_path, caplog):
    settings.EMAIL_USE_TLS = True
    with starttls_server("cut", tmp_path) as port:
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        record = _worked(reset_task, caplog)

    again = _tried_again(reset_task)
    assert again is not None and again.task_result.kwargs["retry"] == 1
    assert record.levelno == logging.WARNING
    assert "failed for now" in record.getMessage()


def test_a_certificate_that_does_not_verify_is_not_tried_again_and_the_log_says_why(
    reset_task, settings, tmp_path, caplog
):
    settings.EMAIL_USE_TLS = True
    with starttls_server("unverified", tmp_path) as port:
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        record = _worked(reset_task, caplog)

    assert _tried_again(reset_task) is None
    assert record.levelno == logging.ERROR
    assert "not tried again (a permanent failure)" in record.getMessage()
    assert "CERTIFICATE_VERIFY_FAILED" in record.getMessage()
    assert "the mail server's TLS certificate does not verify" in record.getMessage()
