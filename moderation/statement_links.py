"""The address of a comment's statement of reasons, as its author is sent it by email.

The statement shows only its author: a reader with an account when signed in, a guest by the
signed cookie their browser got with the comment. An email is often read where that cookie is
not (a phone, a mail app's own browser, another browser), so the link in it carries a key of its
own, an HMAC of the comment, its author's reader key and when the link was made: whoever holds
the email can read why and appeal, as its author can, and nobody can make the key for another
comment. A mail scanner that fetches the link only reads the page; an appeal is a POST with the
page's CSRF token.

A key opens the page for ``MODERATION_APPEAL_DAYS`` after the email was sent, as long as the
decision it tells of may be appealed; after that the link is expired (:data:`Link.EXPIRED`), and
the page says to sign in, or to open it where the comment was written. A forwarded or leaked
email no longer opens the author's page for good.

A key is made with ``SECRET_KEY``, and checked with it and then with each of
``SECRET_KEY_FALLBACKS`` (core.secret_keys): the links in emails sent before the key was changed
still open their statements while the old key is kept as a fallback.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.signing import b62_decode, b62_encode
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from core.secret_keys import made_by_any_key

# Keys made before links had a lifetime: an HMAC of the comment and the reader key alone.
_UNDATED_SALT = "moderation.statement_links"
# Keys with the time the link was made: "<seconds since 1970, base 62>.<HMAC>".
_SALT = "moderation.statement_links.dated"


class Link(enum.Enum):
    OPENS = "opens"  # the key emailed to the comment's author, within its lifetime
    EXPIRED = "expired"  # that key, older than its lifetime
    NO = "no"  # no key, or not one made for this comment and author


def _undated_key(comment_id: int, reader_key: str, secret: str | None = None) -> str:
    message = f"{comment_id}:{reader_key}"
    return salted_hmac(_UNDATED_SALT, message, secret=secret, algorithm="sha256").hexdigest()[:32]


def _key(comment_id: int, reader_key: str, stamp: str, secret: str | None = None) -> str:
    """The key of a link made at ``stamp``, with ``secret`` (SECRET_KEY if None)."""
    message = f"{comment_id}:{stamp}:{reader_key}"
    return salted_hmac(_SALT, message, secret=secret, algorithm="sha256").hexdigest()[:32]


def lifetime() -> timedelta:
    """How long an emailed link opens the statement: as long as an appeal may be made."""
    return timedelta(days=settings.MODERATION_APPEAL_DAYS)


def statement_path(*, comment_id: int, reader_key: str, made_at: datetime | None = None) -> str:
    """The statement's path, with the key that opens it to its author wherever they read it, for
    :func:`lifetime` from ``made_at`` (the decision's time; now if not given; none for a
    comment whose author is not known: the page shows it to nobody then)."""
    path = reverse("moderation:statement", args=[comment_id])
    if not reader_key:
        return path
    stamp = b62_encode(int((made_at or timezone.now()).timestamp()))
    return f"{path}?key={stamp}.{_key(comment_id, reader_key, stamp)}"


def link_state(
    *,
    comment_id: int,
    reader_key: str,
    key: str,
    undated_since: Callable[[], datetime | None] | None = None,
) -> Link:
    """Whether ``key`` (from the address) is the one emailed to the author of ``comment_id``,
    and still opens the page.

    A key from before links had a lifetime carries no date: it is taken as made when
    ``undated_since`` (a callable answering the time of the comment's newest moderation
    decision, when its email was sent, or None) says. A key made with a key of this site's
    ``SECRET_KEY_FALLBACKS`` counts as one made with ``SECRET_KEY``."""
    if not reader_key or not key:
        return Link.NO
    stamp, dot, digest = key.partition(".")
    if not dot:
        if not made_by_any_key(key, lambda secret: _undated_key(comment_id, reader_key, secret)):
            return Link.NO
        made = undated_since() if undated_since else None
        if made is None:
            return Link.EXPIRED
    else:
        if not made_by_any_key(digest, lambda secret: _key(comment_id, reader_key, stamp, secret)):
            return Link.NO
        made = datetime.fromtimestamp(b62_decode(stamp), tz=UTC)
    return Link.OPENS if timezone.now() <= made + lifetime() else Link.EXPIRED
