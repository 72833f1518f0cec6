"""allauth's emails (address confirmation, password reset...) are queued by the reader's request
and sent by the task worker, where the request sent them itself: the reader waited on the mail
server, and a refusal was a server error or lost. The task's row holds the email sealed: neither
the address nor the link to the account in it is kept in clear. A mail server that refuses one
for now has it sent by a later task. Real SMTP on loopback (aiosmtpd), the database task backend,
its worker in-process."""

from __future__ import annotations

import json
import logging
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from discussion.tests.readers import PASSWORD, make_reader
from moderation.tests.test_decision_email_task import _work

pytestmark = pytest.mark.django_db

TASK_PATH = "accounts.tasks.account_email_send"


@pytest.fixture(autouse=True)
def queued_for_a_worker(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _link(text: str) -> str:
    return re.search(r"https?://\S+", text).group(0)


def _body(message) -> str:
    return message.get_body(("plain",)).get_content()


@pytest.mark.parametrize("smtp_server", [[]], indirect=True)
def test_a_password_reset_is_queued_sealed_and_its_link_works_once_the_worker_sends_it(
    client, smtp_server
):
    ada = make_reader("Ada", email="ada@example.com")

    response = client.post("/accounts/password/reset/", {"email": "ada@example.com"})

    assert response.status_code == 302
    assert smtp_server.delivered == [] and mail.outbox == []  # the request sent nothing
    task = DBTaskResult.objects.get(task_path=TASK_PATH)
    stored = json.dumps(task.args_kwargs)
    assert task.args_kwargs["kwargs"]["template"] == "account/email/password_reset_key"
    assert "ada@example.com" not in stored
    assert "/accounts/password/reset/key/" not in stored

    assert _work(task).status == TaskResultStatus.SUCCESSFUL

    [email] = smtp_server.delivered
    assert str(email["To"]) == "ada@example.com"
    assert str(email["Subject"]) == "Reset your password for The Broadsheet"
    link = _link(_body(email))
    assert "/accounts/password/reset/key/" in link
    form_url = client.get(link)["Location"]
    new = "another horse battery staple 43"
    client.post(form_url, {"password1": new, "password2": new})
    ada.refresh_from_db()
    assert ada.check_password(new) and not ada.check_password(PASSWORD)
    assert json.dumps(DBTaskResult.objects.get(pk=task.pk).return_value) == "true"


@pytest.mark.parametrize("smtp_server", [["451 4.7.1 Try again later"]], indirect=True)
def test_a_confirmation_the_mail_server_refuses_for_now_is_sent_by_a_later_task(
    client, smtp_server, caplog
):
    response = client.post(
        "/accounts/signup/",
        {"email": "bo@example.com", "password1": PASSWORD, "password2": PASSWORD,
         "display_name": "Bo"},
    )  # fmt: skip
    assert response.status_code == 302  # where the refusal was a server error, or lost
    task = DBTaskResult.objects.get(task_path=TASK_PATH)
    assert "bo@example.com" not in json.dumps(task.args_kwargs)

    with caplog.at_level(logging.WARNING, logger="core.email_tasks"):
        assert _work(task, "first").status == TaskResultStatus.FAILED
    assert "allauth's account/email/email_confirmation_signup" in caplog.text
    assert "bo@example.com" not in caplog.text
    again = DBTaskResult.objects.exclude(pk=task.pk).get(task_path=TASK_PATH)
    DBTaskResult.objects.filter(pk=again.pk).update(run_after=timezone.now())
    assert _work(DBTaskResult.objects.get(pk=again.pk), "second").status == (
        TaskResultStatus.SUCCESSFUL
    )

    [email] = smtp_server.delivered
    assert str(email["To"]) == "bo@example.com"
    client.post(_link(_body(email)))
    assert get_user_model().objects.get(email="bo@example.com").emailaddress_set.get().verified
