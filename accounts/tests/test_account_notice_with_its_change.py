"""A change to a reader's account and allauth's email about it commit together: the notice that
the password was changed, or that an address was taken off the account, is queued in the
change's own transaction (accounts.views._NoticeWithItsChange), as the site's other emails are.
allauth saved the change, then queued the email, each committed on its own, so an app process
killed in between (a deploy, the out-of-memory killer) left the change made and the account's
owner never told. Run outside a test transaction, as the app runs a request; the process is
killed the moment the change's row commits (core.tests.processes.KilledAtCommit)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django_tasks_db.models import DBTaskResult

from core.tests.processes import KilledAtCommit, _killed
from discussion.tests.readers import PASSWORD, make_reader, reauthenticate

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TASK_PATH = "accounts.tasks.account_email_send"
NEW_PASSWORD = "a-new-pw-98765-long"


@pytest.fixture(autouse=True)
def queued_for_a_worker(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@contextmanager
def killed_as_it_commits(signal, model) -> Iterator[None]:
    """The app process killed the moment the first change ``signal`` reports for ``model``
    commits: in a transaction, once that commits; alone, as soon as the row is written."""

    def kill_at_its_commit(**kwargs) -> None:
        signal.disconnect(kill_at_its_commit, sender=model)
        transaction.on_commit(_killed)

    signal.connect(kill_at_its_commit, sender=model, weak=False)
    try:
        with pytest.raises(KilledAtCommit):
            yield
    finally:
        signal.disconnect(kill_at_its_commit, sender=model)


def _notices() -> list[str]:
    return [
        task.args_kwargs["kwargs"]["template"]
        for task in DBTaskResult.objects.filter(task_path=TASK_PATH).order_by("enqueued_at")
    ]


def test_a_password_change_killed_as_it_commits_still_tells_the_owner(client):
    user = make_reader("Ada", email="ada@example.com")
    client.force_login(user)

    with killed_as_it_commits(post_save, get_user_model()):
        client.post(
            "/accounts/password/change/",
            {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert _notices() == ["account/email/password_changed"]


def test_an_address_taken_off_killed_as_it_commits_still_tells_the_owner(client):
    user = make_reader("Ada", email="ada@example.com")
    client.force_login(user)
    reauthenticate(client)
    client.post("/accounts/email/", {"action_add": "", "email": "new@example.com"})
    assert _notices() == ["account/email/email_confirmation"]

    with killed_as_it_commits(post_delete, EmailAddress):
        client.post("/accounts/email/", {"action_remove": "", "email": "new@example.com"})

    assert not EmailAddress.objects.filter(user=user, email="new@example.com").exists()
    assert _notices() == [
        "account/email/email_confirmation",
        "account/email/email_change_cancelled",
    ]
