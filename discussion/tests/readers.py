"""Test readers: accounts with a verified email and a display name, made through services."""

from __future__ import annotations

import itertools

from accounts.services import reader_create, user_create_verified

_counter = itertools.count(1)


def make_reader(name: str = "Ada", *, email: str | None = None):
    """A user with a verified email and a Reader profile; returns the user."""
    number = next(_counter)
    user = user_create_verified(email=email or f"reader{number}@example.com", password="pw-12345")
    reader_create(user=user, display_name=name)
    return user
