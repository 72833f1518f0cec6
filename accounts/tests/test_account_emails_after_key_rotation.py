"""An operator who changes the secret key the documented way (the new one in SECRET_KEY, the old
one in SECRET_KEY_FALLBACKS, both from the environment) loses no email queued before: the task
worker, started with the new key, still opens allauth's emails sealed under the old one
(accounts.account_emails), and the reset link in one still works. A real worker process
(manage.py db_worker, as an operator starts it), real SMTP on loopback (aiosmtpd)."""

from __future__ import annotations

import re

import pytest
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from accounts.models import AccountEmail
from core.tests.processes import database_shared_with_processes, worker
from discussion.tests.readers import PASSWORD, make_reader

# Its data (Wagtail's root page, content types) put back for the transactional tests after it.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

OLD_KEY = "the key the site had when the email was queued " + "o" * 20
NEW_KEY = "the key the operator changed it to " + "n" * 30


@pytest.mark.parametrize("smtp_server", [[]], indirect=True)
def test_a_reset_email_queued_before_the_key_changed_is_sent_by_a_worker_with_the_new_key(
    client, settings, tmp_path, smtp_server
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = OLD_KEY, []
    with database_shared_with_processes(tmp_path) as env:
        ada = make_reader("Ada", email="ada@example.com")
        client.post("/accounts/password/reset/", {"email": "ada@example.com"})
        task = DBTaskResult.objects.get(task_path="accounts.tasks.account_email_send")

        # The operator changes the key, keeping the old one as a fallback, and starts the worker.
        settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW_KEY, [OLD_KEY]
        process = worker(
            {
                **env,
                "SECRET_KEY": NEW_KEY,
                "SECRET_KEY_FALLBACKS": OLD_KEY,
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(settings.EMAIL_PORT),
            },
            "--batch",
        )
        output = process.communicate(timeout=60)[0].decode()
        assert process.returncode == 0, output

        task.refresh_from_db()
        assert task.status == TaskResultStatus.SUCCESSFUL, output
        [email] = smtp_server.delivered
        assert str(email["To"]) == "ada@example.com"
        assert AccountEmail.objects.get().sent_at is not None
        link = re.search(r"https?://\S+", email.get_body(("plain",)).get_content()).group(0)
        form_url = client.get(link)["Location"]
        new = "another horse battery staple 43"
        client.post(form_url, {"password1": new, "password2": new})
        ada.refresh_from_db()
        assert ada.check_password(new) and not ada.check_password(PASSWORD)
