"""A reader's comment from a request: the glue the comment form and the JSON API share.

Both read the reader from the request (a member, or a guest with their signed cookie), count the
per-address rate limit, call ``services.comment_create`` as ``source="reader"``, and answer with
the cookies that let a guest's next request be recognised. Only the parsing of what was sent
(a form, a JSON body) and the shape of the answer differ.
"""

from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass, replace

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from wagtail.models import Page

from accounts import services as reader_services
from accounts.selectors import reader_may_use_admin
from core import ratelimit
from core.client import (
    client_ip,
    client_network,
    guest_email_remember,
    guest_key,
    guest_key_ensure,
    guest_name_remember,
)
from discussion import identity, services
from discussion.models import Comment, Thread


@dataclass(frozen=True)
class Posted:
    comment: Comment
    reader_key: str  # the guest key the answer's cookie carries ("" for a member)
    member: bool


def rate_limit(request: HttpRequest) -> tuple[str, str, str]:
    """The per-address limit on posting (an IPv6 /64), behind the site's trusted proxies."""
    return ("comment-post", client_network(request), settings.COMMENT_RATE_LIMIT)


# Why a preview could not be drawn while Redis does not answer: it changes nothing, but it is
# counted, and a count is never guessed (core.cache).
PREVIEW_UNREACHABLE = (
    "The site cannot show previews for a moment, and nothing was changed. Your text is still "
    "here: please try again in a minute."
)


def preview_over_limit(request: HttpRequest) -> bool:
    """Count a preview (the comment form's or the edit page's) against the address's own
    allowance for previews (``COMMENT_PREVIEW_RATE``); True when it is over.
    Raises when Redis does not answer (core.cache.UNREACHABLE): the caller says so
    (``PREVIEW_UNREACHABLE``) with the text as sent."""
    limit = ("comment-preview", client_network(request), settings.COMMENT_PREVIEW_RATE)
    return ratelimit.count_each([limit])[0]


def preview_wait() -> int:
    """Seconds until the previews' allowance counts afresh (``COMMENT_PREVIEW_RATE``): a
    refused preview's ``Retry-After``, and the wait its message says."""
    return ratelimit.seconds_to_next_window(settings.COMMENT_PREVIEW_RATE)


def is_staff(request: HttpRequest) -> bool:
    """Whether the signed-in reader is on the newsroom's staff (``is_staff_member``)."""
    user = getattr(request, "user", None)
    return user is not None and is_staff_member(user)


def is_staff_member(user) -> bool:
    """Whether ``user`` is on the newsroom's staff: an active member who may use the admin
    (editors, moderators, superusers). Their comments, and their profile, carry a badge."""
    return bool(user.is_authenticated and user.has_perm("wagtailadmin.access_admin"))


def comment_post_for(
    request: HttpRequest,
    *,
    page: Page,
    body: str,
    author_name: str,
    author_email: str,
    parent_id: int | None,
    idempotency_key: str,
    confirmed: bool,
) -> Posted:
    """Make the reader's comment on ``page``'s thread; raises ``CommentRefused`` (with the code
    ``posting_too_fast`` when over a rate limit) and saves no comment if it is refused (a
    member's first post makes their reader profile even so, under the name the form showed)."""
    # Every guest who posts gets a signed cookie, so rate limits, trust and the statement of
    # reasons follow the reader rather than a display name anyone could type.
    reader_key = guest_key(request) or secrets.token_urlsafe(16)
    who = identity.commenter(request, with_admin_access=True)
    # Whether a member is on the staff comes with their reader, in its query: asked of the
    # account (has_perm), it was two more queries, on every member's comment.
    author_is_staff = who.reader is not None and reader_may_use_admin(who.reader)
    if who.user_id is not None and who.reader is None:
        # A signed-in account always comments as itself, never under a name typed with the
        # comment: one with no reader profile yet (staff made in the admin) gets it now, under
        # the name the form showed it (accounts.services.reader_name_for_account).
        who = replace(who, reader=reader_services.reader_ensure(user=request.user))
        author_is_staff = is_staff(request)
    create = functools.partial(
        services.comment_create,
        body=body,
        # A signed-in reader always comments under their own display name.
        author_name=who.reader.display_name if who.reader else author_name,
        user_id=who.user_id,
        parent_id=parent_id,
        idempotency_key=idempotency_key,
        ip_address=client_ip(request),
        source="reader",
        guest_key=reader_key,
        confirmed=confirmed,
        author_email=author_email,
        page=page,
        limits=(rate_limit(request),),
        author_is_staff=author_is_staff,
    )
    try:
        comment = create(thread=services.thread_for_comment(page=page))
    except Thread.DoesNotExist:
        # The thread row this process remembered is gone (deleted by hand, or from the admin
        # before it stopped offering Delete) while its page stayed: the page gets a new one, as
        # on its first comment. Nothing was saved, so the comment is simply made again.
        services.threads_forget()
        comment = create(thread=services.thread_for_comment(page=page))
    return Posted(comment=comment, reader_key=reader_key, member=who.user_id is not None)


def remember_poster(request: HttpRequest, response: HttpResponse, posted: Posted) -> None:
    """The cookies a guest's answer carries: their key, their comment (so they can edit it) and
    the name they used (for their next comment)."""
    guest_key_ensure(request, response, key=posted.reader_key)
    if not posted.member:
        identity.remember_guest_comment(request, response, posted.comment.pk)
        guest_name_remember(request, response, posted.comment.author_name)


def remember_email_for_the_form(
    request: HttpRequest, response: HttpResponse, posted: Posted
) -> None:
    """The email address a guest gave, offered again in their next comment form (WCAG 3.3.7).
    The comment form's answer only: the JSON API's callers (the site's own scripts, apps) draw
    their own comment box, and the embed has none (docs/embed.md), so a script's POST gets no
    cookie holding an address it never asked to keep (docs/api.md)."""
    if not posted.member:
        guest_email_remember(request, response, posted.comment.author_email or "")
