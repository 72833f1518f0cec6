"""Two readers taking look-alike names at the same instant: the second waits for the first and
is refused, as it would have been a moment later. Real transactions on two connections (threads)
on PostgreSQL. On SQLite the site's transactions are IMMEDIATE and so run one at a time already;
its test database is in memory, where a second writer fails at once rather than wait."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from accounts.models import Reader
from accounts.services import reader_create, reader_rename

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite writes one transaction at a time"
    ),
]


def _user(name: str):
    return get_user_model().objects.create_user(name, f"{name}@example.com", "pw-long-enough-1")


def _while_a_sign_up_is_uncommitted(name: str, then) -> list[object]:
    """Start a sign-up for ``name`` and keep its transaction open (saved, not yet committed)
    while ``then`` runs in another thread; commit it half a second later. What ``then`` raised or
    returned, and whether it was still waiting when the first committed."""
    first_user = _user("first")
    saved, commit = threading.Event(), threading.Event()
    outcome: list[object] = []

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
            outcome.append(then())
        except ValidationError as refusal:
            outcome.append(refusal)
        finally:
            connection.close()

    one = threading.Thread(target=first)
    one.start()
    assert saved.wait(10)
    two = threading.Thread(target=second)
    two.start()
    two.join(0.5)
    waiting = two.is_alive()
    commit.set()
    one.join(10)
    two.join(10)
    return [waiting, *outcome]


def test_a_sign_up_with_a_look_alike_name_waits_and_is_refused():
    other = _user("second")
    waiting, outcome = _while_a_sign_up_is_uncommitted(
        "Ada Lovelace", lambda: reader_create(user=other, display_name="Ada-Lovelace")
    )
    assert waiting  # it did not check the names while the first was still deciding
    assert isinstance(outcome, ValidationError)
    assert "punctuation" in outcome.message_dict["display_name"][0]
    assert list(Reader.objects.values_list("display_name", flat=True)) == ["Ada Lovelace"]


def test_a_rename_to_a_look_alike_name_waits_and_is_refused():
    renamed = reader_create(user=_user("second"), display_name="Grace")
    waiting, outcome = _while_a_sign_up_is_uncommitted(
        "Ada Lovelace", lambda: reader_rename(reader=renamed, display_name="ada.lovelace")
    )
    assert waiting
    assert isinstance(outcome, ValidationError)
    renamed.refresh_from_db()
    assert renamed.display_name == "Grace"


def test_a_sign_up_with_an_unrelated_name_is_not_held_up():
    other = _user("second")
    waiting, outcome = _while_a_sign_up_is_uncommitted(
        "Ada Lovelace", lambda: reader_create(user=other, display_name="Grace Hopper")
    )
    assert not waiting  # only names with the same loose key wait for each other
    assert isinstance(outcome, Reader) and outcome.display_name == "Grace Hopper"
