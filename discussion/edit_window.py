"""Until when a reader may change their own comment.

A comment can be edited for ``COMMENT_EDIT_WINDOW_MINUTES`` after it was posted (and a guest may
delete theirs only in that time). An edit page opened within that window can be saved for
``EDIT_GRACE_FACTOR`` times the window after it was opened, however long the window has been
over by then: no reader who reads, writes or types slowly loses an edit they began in time
(WCAG 2.2.1 Timing Adjustable, whose "Adjust" option asks for at least ten times the default).

The page carries the time it was opened in a signed field, bound to its comment
(``edit_opened_token``): a reader cannot move the time, nor carry one comment's page over to
another. ``own_comments.comment_edit`` decides with it (``edit_save_deadline``); a missing,
forged or altered token counts for nothing, so the window alone decides then.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.utils import timezone

from discussion.models import Comment

EDIT_GRACE_FACTOR = 10
_SALT = "discussion.edit-window.opened"
_TOKEN_MAX_LENGTH = 200  # what dumps() makes is about 90 characters; anything longer is not ours


def edit_window() -> timedelta:
    return timedelta(minutes=settings.COMMENT_EDIT_WINDOW_MINUTES)


def edit_window_ends(comment: Comment) -> datetime:
    """When the comment's edit window closes: no edit page opens after this."""
    return comment.created_at + edit_window()


def edit_window_open(comment: Comment, *, now: datetime | None = None) -> bool:
    return (now or timezone.now()) <= edit_window_ends(comment)


def edit_opened_token(*, comment: Comment, now: datetime | None = None) -> str:
    """The signed note an edit page carries of when it was opened, for this comment only.

    Made only while the window is open (the view asks ``edit_window_open`` first); a note made
    later would count for nothing anyway (``edit_save_deadline``).
    """
    opened = (now or timezone.now()).timestamp()
    return signing.dumps([comment.pk, opened], salt=_SALT)


def edit_opened_at(*, comment: Comment, token: str) -> datetime | None:
    """When the edit page that sent ``token`` was opened, or None if the token is not a good one
    for this comment (missing, forged, altered, or another comment's)."""
    if not token or len(token) > _TOKEN_MAX_LENGTH:
        return None
    try:
        comment_id, opened = signing.loads(token, salt=_SALT)
    except (signing.BadSignature, TypeError, ValueError):  # not ours, or not in our shape
        return None
    if comment_id != comment.pk:
        return None
    return datetime.fromtimestamp(opened, tz=UTC)


def edit_save_deadline(*, comment: Comment, token: str = "") -> datetime:
    """Until when an edit to ``comment`` may be saved: the end of its window, or, from a page
    opened within the window (``token``), ``EDIT_GRACE_FACTOR`` windows after it was opened."""
    ends = edit_window_ends(comment)
    opened = edit_opened_at(comment=comment, token=token)
    if opened is None or opened > ends:
        return ends
    return max(ends, opened + EDIT_GRACE_FACTOR * edit_window())
