"""The keys the site's own signatures are checked with: ``SECRET_KEY``, then each of
``SECRET_KEY_FALLBACKS``, as Django's own signing checks them.

A signature is always made with ``SECRET_KEY``; one made before the key was changed (the old key
kept in ``SECRET_KEY_FALLBACKS``, docs/deploy.md, "Changing the secret key") is still accepted,
until the old key is dropped from the fallbacks. Django's ``signing`` (cookies, the unsubscribe
link) does this by itself; a signature made with ``salted_hmac`` (a statement of reasons' link,
an export's site mark) is checked here.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.utils.crypto import constant_time_compare


def secret_keys() -> list[str]:
    """``SECRET_KEY``, then each of ``SECRET_KEY_FALLBACKS``, newest first."""
    return [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]


def made_by_any_key(given: str, make: Callable[[str], str]) -> bool:
    """Whether ``given`` is what ``make`` (a signature, from the secret it is given) makes with
    ``SECRET_KEY`` or with any of ``SECRET_KEY_FALLBACKS``."""
    return any(constant_time_compare(given, make(secret)) for secret in secret_keys())
