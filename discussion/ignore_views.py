"""Ignore and Stop ignoring: a signed-in reader's choice to see a member's comments collapsed.

The row is accounts' (``accounts.services.member_ignore``, ``member_unignore``); these views
are discussion's, as Ignore is pressed on a comment (the comment names its author, so no
account's id is ever put in the page) and the profile that lists whom one ignores lives here
too (``reader_views``). Each press counts against the account and the address
(``IGNORE_RATE``). Without JavaScript each is a form POST that redirects back, to the comment or
to the profile, with what happened said there; with htmx the comment (or the profile's line) is
swapped in place and the same words are announced in the page's status region.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods
from wagtail.models import Page

from accounts import selectors as reader_selectors
from accounts import services as reader_services
from accounts.services import IGNORE_NOT_A_MEMBER
from accounts.session_ended import session_ended, sign_in_to_finish, signed_in_to_finish
from core import ratelimit
from core.cache import UNREACHABLE
from core.client import client_network
from core.middleware import UNREACHABLE_DETAIL, unreachable_in_place
from discussion import closing, identity, selectors, services
from discussion.models import Comment, Thread
from discussion.views import _is_htmx, _mark_reacted, _thread_page_or_404

NOT_COUNTED = UNREACHABLE_DETAIL + " Nothing was changed."


def _over_the_limit(request: HttpRequest) -> bool:
    rate = settings.IGNORE_RATE
    return ratelimit.over_rates(
        [(f"user:{request.user.pk}", rate), (client_network(request), rate)], prefix="ignore"
    )


def _too_many() -> tuple[str, int]:
    wait = ratelimit.seconds_to_next_window(settings.IGNORE_RATE)
    said = "You have pressed Ignore or Stop ignoring too many times. {Wait}, then try again."
    return ratelimit.say_wait(said, wait) + " Nothing was changed.", wait


def _ignoring_now(name: str) -> str:
    return (
        f"You are ignoring {name}: their comments show collapsed, for you alone. "
        "Stop ignoring on one of them, or on your profile."
    )


def _seeing_again(name: str) -> str:
    return f"You see {name}’s comments again."


@require_http_methods(["GET", "POST"])
def comment_ignore(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Ignore the author of this comment (``ignore=on``) or stop ignoring them (``off``).

    A signed-out reader (a session that ended as they pressed) is asked to sign in and led back
    here; the GET then changes nothing and goes back to the comment, saying to press again.
    """
    comment = selectors.comment_get(comment_id=comment_id)
    if comment is None or comment.status != Comment.Status.PUBLISHED:
        raise Http404("No such comment")
    thread, page = _thread_page_or_404(request, comment.thread_id)
    back = HttpResponseRedirect(f"{page.url}?{urlencode({'c': comment.pk})}#c-{comment.pk}")
    if not request.user.is_authenticated:
        to_sign_in = sign_in_to_finish(request)
        if _is_htmx(request):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = to_sign_in.url
            return response
        return to_sign_in
    if request.method == "GET":
        if session_ended(request.get_full_path()):
            messages.info(request, "Nothing was sent. Press the button again.")
        return back
    name = comment.author_name
    try:
        if _over_the_limit(request):
            said, wait = _too_many()
            refused = _refused(request, comment_id, thread, page, said=said, status=429)
            refused["Retry-After"] = str(wait)
            return refused
    except UNREACHABLE:
        refused = _refused(request, comment_id, thread, page, said=NOT_COUNTED, status=503)
        return unreachable_in_place(refused)
    choice = request.POST.get("ignore")
    if choice not in ("on", "off"):
        said = (
            "Nothing was changed: the button sent neither Ignore nor Stop ignoring. Press it again."
        )
        return _refused(request, comment_id, thread, page, said=said, status=422)
    if comment.author_id is None:
        return _refused(request, comment_id, thread, page, said=IGNORE_NOT_A_MEMBER, status=422)
    if choice == "off":
        reader_services.member_unignore(user=request.user, member_id=comment.author_id)
        said = _seeing_again(name)
    else:
        try:
            reader_services.member_ignore(user=request.user, member_id=comment.author_id)
        except ValidationError as refusal:
            said = " ".join(refusal.messages)
            return _refused(request, comment_id, thread, page, said=said, status=422)
        said = _ignoring_now(name)
    if not _is_htmx(request):
        messages.success(request, said)
        return back
    return _in_place(request, comment_id, thread, page, said=said)


def _refused(
    request: HttpRequest, comment_id: int, thread: Thread, page: Page, *, said: str, status: int
) -> HttpResponse:
    """Nothing changed: with htmx the comment as it was, the reason beside its button (an
    alert); without, the reason on the article, back at the comment."""
    if _is_htmx(request):
        return _in_place(request, comment_id, thread, page, said=said, refused=True, status=status)
    messages.error(request, said)
    url = f"{page.url}?{urlencode({'c': comment_id})}#c-{comment_id}"
    return HttpResponseRedirect(url)


def _in_place(
    request: HttpRequest,
    comment_id: int,
    thread: Thread,
    page: Page,
    *,
    said: str,
    refused: bool = False,
    status: int = 200,
) -> HttpResponse:
    """The comment drawn for this reader as it is now (collapsed or not), for htmx to swap its
    first element (``hx-select``), and what happened for the thread's status region."""
    viewer = identity.commenter(request)
    comments = selectors.comments_by_ids(thread=thread, ids=[comment_id], viewer=viewer)
    if not comments:
        raise Http404("No such comment")
    _mark_reacted(request, viewer, comments)
    context = {
        "comment": comments[0],
        "viewer": viewer,
        "thread": thread,
        "page_url": page.url,
        "thread_closed": closing.closed_notice(thread, page) is not None,
        "guests_allowed": services.guests_allowed(thread),
        "ignore_said": said if refused else "",
        "said": said,
    }
    return render(request, "discussion/_ignore_swap.html", context, status=status)


@signed_in_to_finish
@require_http_methods(["GET", "POST"])
def ignoring_stop(request: HttpRequest) -> HttpResponse:
    """The profile's Stop ignoring, for one line of the list (``entry``, the line's own id, not
    the member's account)."""
    reader = reader_selectors.reader_for_user(user_id=request.user.pk)
    profile = reverse("reader_profile", args=[reader.pk]) if reader else "/"
    back = HttpResponseRedirect(f"{profile}#ignoring")
    if request.method == "GET":
        messages.info(request, "Nothing was sent. Press “Stop ignoring” again.")
        return back
    raw = request.POST.get("entry", "")
    entry = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 19 else None
    line = entry and reader_selectors.member_ignored_by_entry(user_id=request.user.pk, entry=entry)
    try:
        limited = _over_the_limit(request)
    except UNREACHABLE:
        refused = _profile_said(request, back, said=NOT_COUNTED, line=line, status=503)
        return unreachable_in_place(refused)
    if limited:
        said, wait = _too_many()
        refused = _profile_said(request, back, said=said, line=line, status=429)
        refused["Retry-After"] = str(wait)
        return refused
    if not line:
        # Stopped already (in another tab, or on a comment): the list shows it gone.
        said = "You were no longer ignoring that reader: nothing was changed."
        return _profile_said(request, back, said=said)
    reader_services.member_unignore(user=request.user, member_id=line["member_id"])
    return _profile_said(request, back, said=_seeing_again(line["display_name"]))


def _profile_said(
    request: HttpRequest,
    back: HttpResponse,
    *,
    said: str,
    line: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    """Without JavaScript, back to the profile's list with ``said``; with htmx, the list's line
    again when nothing changed (``line``) or nothing in its place, and ``said`` in the page's
    status region."""
    if not _is_htmx(request):
        (messages.success if status == 200 else messages.error)(request, said)
        return back
    context = {"said": said, "line": line, "refused": status != 200}
    return render(request, "discussion/_ignoring_stop_swap.html", context, status=status)
