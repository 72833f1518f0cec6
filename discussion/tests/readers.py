"""Test readers: accounts with a verified email and a display name, made through services."""

from __future__ import annotations

import itertools

from accounts.services import reader_create, user_create_verified

_counter = itertools.count(1)

PASSWORD = "pw-12345"  # make_reader's


def make_reader(name: str = "Ada", *, email: str | None = None):
    """A user with a verified email and a Reader profile; returns the user."""
    number = next(_counter)
    user = user_create_verified(email=email or f"reader{number}@example.com", password=PASSWORD)
    reader_create(user=user, display_name=name)
    return user


def reauthenticate(client, password: str = PASSWORD, **extra) -> None:
    """Give the password again on allauth's "Confirm it is you" page, as a member does before a
    change that asks for it (deleting the account, changing the email address:
    ACCOUNT_REAUTHENTICATION_REQUIRED); ``password`` is make_reader's unless given, ``extra``
    the request's own (a SCRIPT_NAME)."""
    response = client.post("/accounts/reauthenticate/", {"password": password}, **extra)
    assert response.status_code == 302, "the password was not taken"
