"""Which comments this browser deleted, and on which thread: so going back to one finds the article.

A comment deleted before anyone replied leaves no row (``own_comments.comment_delete``), so its
pages (edit, delete, ``/c/<id>/``) would find nothing and answer 404, and the browser's Back
button after a deletion goes straight to its delete page. The deletion's answer therefore sets a
signed cookie listing the last few comments this browser deleted, each with its thread. Only
that browser can then tell "you deleted this" from "there is no such comment"; for everyone else
a comment deleted without replies is as missing as one that never was, and one deleted with
replies keeps its shell in the thread, where its permalink still leads.

The cookie's name starts with ``broadsheet_``, so the anonymous page cache hands its holder to
Django (core.pagecache); only a reader who already carries a session or a guest cookie can have
deleted a comment anyway.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from discussion import selectors
from discussion.models import Thread

DELETED_COOKIE = "broadsheet_deleted_comments"
_SALT = "discussion.deleted-comments"
_KEPT = 20  # the most recent deletions the cookie remembers
_KEPT_SECONDS = 30 * 24 * 60 * 60  # as long as a browser's history is likely to offer the page


def _deleted(request: HttpRequest) -> dict[int, int]:
    """Comment id to thread id, for the comments this browser deleted (a forged cookie: none)."""
    raw = request.get_signed_cookie(DELETED_COOKIE, default="", salt=_SALT, max_age=_KEPT_SECONDS)
    pairs = (part.partition(":") for part in raw.split(","))
    return {
        int(comment): int(thread)
        for comment, _, thread in pairs
        if comment.isdigit() and thread.isdigit()
    }


def deleted_from(request: HttpRequest, comment_id: int) -> Thread | None:
    """The thread (with its article as ``page``) the comment was on, if this browser deleted it
    and may still read the article; else None."""
    thread_id = _deleted(request).get(comment_id)
    if thread_id is None:
        return None
    return selectors.readable_thread(request=request, thread_id=thread_id)


def remember_deleted(
    request: HttpRequest, response: HttpResponse, *, comment_id: int, thread_id: int
) -> None:
    """Add the comment to the browser's list of its deletions, on the deletion's answer."""
    deleted = _deleted(request)
    deleted.pop(comment_id, None)
    deleted[comment_id] = thread_id
    kept = list(deleted.items())[-_KEPT:]
    response.set_signed_cookie(
        DELETED_COOKIE,
        ",".join(f"{comment}:{thread}" for comment, thread in kept),
        salt=_SALT,
        max_age=_KEPT_SECONDS,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        path=settings.SESSION_COOKIE_PATH,
    )
