"""The address of a comment's statement of reasons, as its author is sent it by email.

The statement shows only its author: a reader with an account when signed in, a guest by the
signed cookie their browser got with the comment. An email is often read where that cookie is
not (a phone, a mail app's own browser, another browser), so the link in it carries a key of its
own, an HMAC of the comment and its author's reader key: whoever holds the email can read why
and appeal, as its author can, and nobody can make the key for another comment. A mail scanner
that fetches the link only reads the page; an appeal is a POST with the page's CSRF token.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

_SALT = "moderation.statement_links"


def _key(comment_id: int, reader_key: str) -> str:
    return salted_hmac(_SALT, f"{comment_id}:{reader_key}", algorithm="sha256").hexdigest()[:32]


def statement_path(*, comment_id: int, reader_key: str) -> str:
    """The statement's path, with the key that opens it to its author wherever they read it
    (none for a comment whose author is not known: the page shows it to nobody then)."""
    path = reverse("moderation:statement", args=[comment_id])
    return f"{path}?key={_key(comment_id, reader_key)}" if reader_key else path


def opens(*, comment_id: int, reader_key: str, key: str) -> bool:
    """Whether ``key`` (from the address) is the one emailed to the author of ``comment_id``."""
    if not reader_key or not key:
        return False
    return constant_time_compare(key, _key(comment_id, reader_key))
