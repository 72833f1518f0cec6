"""Who is commenting: the signed-in reader, or a guest holding a signed cookie.

A guest who posts gets a cookie, signed with the site's key, listing the comments they wrote
(the last few). It lets that browser (and only it) see them as the author does: a held comment
with "Why is it waiting?", a rejected one with the notice that links to why, and no Recommend
or Report on their own words. It lasts as long as a decision can be appealed
(``MODERATION_APPEAL_DAYS``), so the link to a comment's statement of reasons stays in view for
as long as the author can act on it.

Changing a comment is bounded apart from the cookie: a guest may edit or delete only within the
edit window (``COMMENT_EDIT_WINDOW_MINUTES``), which ``edit_window.edit_window_open`` checks on
the comment's own time, in the services and in what the page offers (an edit page opened within
it may be saved later, on the page's own signed opening time: ``discussion.edit_window``). An old
cookie shows its holder their comments; it never lets them change one late.
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


def _kept_seconds() -> int:
    """How long a guest's browser knows which comments it wrote: the appeal window (see the
    module's note for why, and for why this does not lengthen the edit window)."""
    return settings.MODERATION_APPEAL_DAYS * 24 * 60 * 60


def guest_comment_ids(request: HttpRequest) -> list[int]:
    """The comments the browser's signed cookie says its guest wrote, oldest first (none for a
    forged or expired cookie). Checked once per request (an HMAC): a comment's post asks when it
    reads who is posting and again when it adds the new comment to the cookie."""
    try:
        return list(request._broadsheet_guest_comment_ids)
    except AttributeError:
        raw = request.get_signed_cookie(
            GUEST_COOKIE, default="", salt=_SALT, max_age=_kept_seconds()
        )
        ids = tuple(int(part) for part in raw.split(",") if part.isdigit())[-_KEPT:]
        request._broadsheet_guest_comment_ids = ids
        return list(ids)


def commenter(request: HttpRequest, *, with_admin_access: bool = False) -> Commenter:
    """Who is commenting; ``with_admin_access`` reads with a member's reader whether their
    account may use the admin (accounts.selectors.reader_may_use_admin), in the same query."""
    user = getattr(request, "user", None)
    user_id = user.pk if user is not None and user.is_authenticated else None
    # With whether they ignore anyone, in the same query: the thread reads whom only then.
    reader = reader_for_user(
        user_id=user_id, with_admin_access=with_admin_access, with_ignoring=True
    )
    return Commenter(
        user_id=user_id,
        reader=reader,
        guest_comment_ids=frozenset(guest_comment_ids(request)),
    )


def remember_guest_comment(request: HttpRequest, response: HttpResponse, comment_id: int) -> None:
    ids = [*guest_comment_ids(request), comment_id][-_KEPT:]
    response.set_signed_cookie(
        GUEST_COOKIE,
        ",".join(str(item) for item in ids),
        salt=_SALT,
        max_age=_kept_seconds(),
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        path=settings.SESSION_COOKIE_PATH,
    )
