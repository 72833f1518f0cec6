"""A reader signing up through a sign-in provider whose display name is taken by another sign-up
at the same moment (both checked before either was saved) gets the display-name form back saying
the name is taken, with nothing saved, and can send it again under another name; before, a server
error, and an account left with no profile. Real transactions on two connections (threads) on
PostgreSQL, as in test_names_at_once; SQLite writes one transaction at a time."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth import get_user, get_user_model
from django.db import connection, transaction

from accounts.models import Reader
from accounts.services import reader_create
from accounts.tests.test_oidc_flow import _consent_at_provider, provider  # noqa: F401

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite writes one transaction at a time"
    ),
]


def _sent_while_the_name_is_being_taken(send, name: str):
    """``send`` run in a thread while another sign-up holds ``name`` saved, not yet
    committed; that one commits half a second later. What ``send`` returned."""
    first_user = get_user_model().objects.create_user("first", "first@example.com", "pw-long-1")
    saved, commit = threading.Event(), threading.Event()
    answers: list[object] = []

    def first() -> None:
        try:
            with transaction.atomic():
                reader_create(user=first_user, display_name=name)
                saved.set()
                commit.wait(10)
        finally:
            connection.close()

    def second() -> None:
        try:
            answers.append(send())
        finally:
            connection.close()

    one = threading.Thread(target=first)
    one.start()
    assert saved.wait(10)
    two = threading.Thread(target=second)
    two.start()
    two.join(0.5)
    commit.set()
    one.join(10)
    two.join(10)
    return answers[0]


def test_a_name_taken_meanwhile_gives_the_form_back_and_saves_nothing(client, provider):  # noqa: F811
    path, params = _consent_at_provider(client)
    signup_url = client.get(path, params)["Location"]
    form = {"email": "grace@newsroom.test", "display_name": "Grace Hopper"}

    refused = _sent_while_the_name_is_being_taken(
        lambda: client.post(signup_url, form), "Grace Hopper"
    )

    assert refused.status_code == 200
    assert "That display name is taken" in refused.content.decode()
    assert not get_user_model().objects.filter(email="grace@newsroom.test").exists()
    done = client.post(signup_url, {**form, "display_name": "Grace B. Hopper"})
    assert done.status_code == 302
    assert Reader.objects.get(user=get_user(client)).display_name == "Grace B. Hopper"
