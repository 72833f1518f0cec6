"""Checks on an email address offered at sign-up or when changing email.

accounts owns this registry and knows nothing of who fills it: moderation registers its banned
email domains here in ``AppConfig.ready()``. A check returns why the address is refused, or None.
"""

from __future__ import annotations

from collections.abc import Callable

EmailCheck = Callable[[str], str | None]

_checks: dict[str, EmailCheck] = {}


def register(name: str, check: EmailCheck) -> None:
    _checks[name] = check


def unregister(name: str) -> None:
    _checks.pop(name, None)


def email_problem(address: str) -> str | None:
    for check in list(_checks.values()):
        if problem := check(address):
            return problem
    return None
