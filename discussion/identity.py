"""Who is commenting: the signed-in reader, or a guest holding a signed cookie.

A guest who posts gets a cookie, signed with the site's key, listing the comments they wrote in
the last edit window. It lets that browser (and only it) edit or delete them while the window
is open; the services check the window again, so an old cookie gains nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from accounts.models import Reader
from accounts.selectors import reader_for_user

GUEST_COOKIE = "broadsheet_guest_comments"
_SALT = "discussion.guest-comments"
_KEPT = 20  # the most recent comments a guest cookie remembers


@dataclass(frozen=True)
class Commenter:
    user_id: int | None = None
    reader: Reader | None = None
    guest_comment_ids: frozenset[int] = field(default_factory=frozenset)

    def owns(self, comment) -> bool:
        if comment.author_id is not None:
            return self.user_id is not None and comment.author_id == self.user_id
        return comment.pk in self.guest_comment_ids


def _window_seconds() -> int:
    return settings.COMMENT_EDIT_WINDOW_MINUTES * 60


def guest_comment_ids(request: HttpRequest) -> list[int]:
    raw = request.get_signed_cookie(GUEST_COOKIE, default="", salt=_SALT, max_age=_window_seconds())
    return [int(part) for part in raw.split(",") if part.isdigit()][-_KEPT:]


def commenter(request: HttpRequest) -> Commenter:
    user = getattr(request, "user", None)
    user_id = user.pk if user is not None and user.is_authenticated else None
    return Commenter(
        user_id=user_id,
        reader=reader_for_user(user_id=user_id) if user_id else None,
        guest_comment_ids=frozenset(guest_comment_ids(request)),
    )


def remember_guest_comment(request: HttpRequest, response: HttpResponse, comment_id: int) -> None:
    ids = [*guest_comment_ids(request), comment_id][-_KEPT:]
    response.set_signed_cookie(
        GUEST_COOKIE,
        ",".join(str(item) for item in ids),
        salt=_SALT,
        max_age=_window_seconds(),
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
