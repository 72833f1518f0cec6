"""Mail choices of a reader: the signed one-click unsubscribe link every email carries."""

from __future__ import annotations

from django.core import signing
from django.urls import reverse

from accounts.models import Reader
from core.site_urls import site_url

_SALT = "accounts.unsubscribe"


def unsubscribe_token(*, reader_id: int) -> str:
    return signing.dumps({"r": reader_id}, salt=_SALT, compress=True)


def unsubscribe_url(*, reader_id: int) -> str:
    """The link in every email, under SITE_BASE_URL and its path prefix once, whether the email
    is written by the task worker or in a reader's request (core.site_urls)."""
    return site_url(reverse("unsubscribe", args=[unsubscribe_token(reader_id=reader_id)]))


def reader_id_from_unsubscribe_token(token: str) -> int | None:
    """The reader id a genuine token names (its account may since have been deleted), or None
    for a tampered or foreign one."""
    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    reader_id = data.get("r") if isinstance(data, dict) else None
    return reader_id if isinstance(reader_id, int) else None


def reader_from_unsubscribe_token(token: str) -> Reader | None:
    """The reader a genuine token names, or None for a tampered or foreign one, or one whose
    account has been deleted."""
    reader_id = reader_id_from_unsubscribe_token(token)
    return None if reader_id is None else Reader.objects.filter(pk=reader_id).first()
