"""Thin views: read the request, call a selector or ``comment_create``, render.

The article page itself is served by Wagtail; it asks :func:`thread_context` for the thread and
hands POSTs to :func:`comment_post`. Every other view here answers both a plain browser (a whole
page, Post/Redirect/Get) and htmx (just the fragment that changes).
"""

from __future__ import annotations

import dataclasses
import operator
import secrets
from collections.abc import Sequence
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.http import urlencode
from django.views.decorators.http import require_POST
from wagtail.models import Page

from accounts import selectors as reader_selectors
from accounts.session_ended import sign_in_to_finish
from accounts.sign_in_for import page_for_sign_in
from core import pagecache, ratelimit
from core.cache import UNREACHABLE
from core.client import (
    client_network,
    guest_email,
    guest_key,
    guest_key_ensure,
    guest_name,
)
from core.middleware import UNREACHABLE_DETAIL, unreachable_in_place
from discussion import (
    closing,
    identity,
    live,
    own_deletions,
    posting,
    reaction_limits,
    reported,
    selectors,
    services,
)
from discussion.edit_window import edit_window_open
from discussion.errors import CommentRefused
from discussion.forms import CommentForm
from discussion.models import Comment, Thread


def _int_param(request: HttpRequest, name: str) -> int | None:
    """A positive id from the query string; anything else reads as absent (never a 500)."""
    raw = request.GET.get(name, "")
    # isascii too: "²" is a digit to isdigit(), and int() refuses it.
    if raw.isascii() and raw.isdigit() and 0 < int(raw) < 2**63:
        return int(raw)
    return None


def _is_htmx(request: HttpRequest) -> bool:
    # Read from META, as request.headers would read it: building request.headers copies every
    # header of the request, about 10 microseconds of each comment's POST for this one.
    return request.META.get("HTTP_HX_REQUEST") == "true"


def _sort(request: HttpRequest) -> str:
    return selectors.sort_or_default(request.GET.get("sort"))


def _reader_keys(request: HttpRequest, viewer: identity.Commenter) -> list[str]:
    """The keys this reader's recommendations are under: their account's, and for a member
    their browser's guest cookie's too, so what they recommended there as a guest before they
    signed in still shows pressed (it stays the cookie's: docs/architecture.md), as their guest
    comments still show as theirs."""
    browser = services.reader_key_for(user_id=None, guest_key=guest_key(request))
    if viewer.user_id is None:
        return [browser]
    return [services.reader_key_for(user_id=viewer.user_id, guest_key=""), browser]


def _mark_reacted(
    request: HttpRequest,
    viewer: identity.Commenter,
    comments: list[Comment],
    featured: Sequence[Comment] = (),
) -> None:
    """Set ``reacted`` on the comments (and shown replies) this reader has recommended,
    ``reported`` on those they have reported, and ``ignored`` on those whose author they ignore
    (drawn collapsed), the ``featured`` strip's comments included (only ``ignored`` on those:
    the strip has no buttons).

    Two queries, and none at all for a reader with neither an account nor a guest cookie; one
    more for a member who ignores anyone (``ignores_members``, read with the reader).
    """
    everything = [*comments, *(r for c in comments for r in getattr(c, "shown_replies", []))]
    ids = [c.pk for c in everything]
    reacted = selectors.reacted_ids(reader_keys=_reader_keys(request, viewer), comment_ids=ids)
    # And those they reported, so "Reported" stands where the Report link would lead nowhere.
    reported_already = reported.reported_ids(
        user_id=viewer.user_id, guest_key=guest_key(request), comment_ids=ids
    )
    ignored = _ignored_authors(viewer, [*everything, *featured])
    for comment in everything:
        comment.reacted = comment.pk in reacted
        comment.reported = comment.pk in reported_already
        comment.ignored = (
            comment.author_id in ignored and comment.status == Comment.Status.PUBLISHED
        )
    for comment in featured:  # published, as the strip shows no other
        comment.ignored = comment.author_id in ignored


def _ignored_authors(viewer: identity.Commenter, comments: list[Comment]) -> frozenset[int]:
    """Which of the comments' authors the signed-in reader ignores: nobody, with no query, for a
    guest and for a member who ignores no one."""
    if viewer.reader is None or not getattr(viewer.reader, "ignores_members", False):
        return frozenset()
    return reader_selectors.members_ignored_among(
        user_id=viewer.user_id, member_ids={c.author_id for c in comments if c.author_id}
    )


# What ``_comment.html`` (with ``_reaction.html`` and the replies' "show more" link) reads of a
# comment. A top-level comment and its shown replies are drawn from these alone, for a reader
# with no identity, so the same values draw the same HTML: see comment_block_keys.
_DRAWN_FROM = (
    "pk",
    "depth",
    "number",
    "status",
    "author_id",
    "author_name",
    "author_is_staff",
    "parent_id",
    "parent_name",
    "is_featured",
    "created_at",
    "edited_at",
    "html",
    "reaction_count",
    "reacted",
    "reported",
    "ignored",
    "notify_replies",
)


_draw_values = operator.attrgetter(*_DRAWN_FROM)


def _drawn_from(comment: Comment) -> tuple:
    try:
        return _draw_values(comment)
    except AttributeError:  # a top-level comment has no parent_name
        return tuple(getattr(comment, name, None) for name in _DRAWN_FROM)


def _reader_marks(comment: Comment, viewer: identity.Commenter) -> tuple[bool, bool, bool]:
    """What ``_comment.html`` draws for this reader alone: their own comment's links, whether
    it can still be edited (a time, so it goes in the key rather than the drawing), and whether
    their profile's email choice is Never (the reply-emails switch gives way to a link to it)."""
    owned = bool(viewer) and viewer.owns(comment)
    reader = viewer.reader if owned else None
    emails_off = reader is not None and not reader.notify_replies
    return owned, owned and edit_window_open(comment), emails_off


def comment_block_keys(request: HttpRequest, context: dict[str, Any]) -> None:
    """Let the article page reuse what it drew of each top-level comment before.

    Used when the page's CSRF token is the page cache's placeholder (the same for every reader,
    filled in for each one as the page goes out). Each top-level comment then gets
    ``block_key``: everything its block (the comment with its shown replies) is drawn from,
    values and settings alike, and for a reader with an identity also what is theirs (whether
    they are signed in, which comments they wrote and can still edit, which they recommended).
    ``_thread.html`` keeps each block under its key in the ``fragments`` cache (this process's
    memory), so after a new comment the page is drawn again from the blocks already drawn, plus
    the one that changed, and a signed-in reader's page from the blocks every reader shares.
    A link to one comment gets every block drawn afresh.
    """
    thread_page = context.get("thread_page")
    if (
        thread_page is None
        or context.get("focus_id") is not None
        or context.get("csrf_token") != pagecache.csrf_placeholder()
    ):
        return
    viewer = context["viewer"]
    signed_in = bool(getattr(request, "user", None) and request.user.is_authenticated)
    around = (
        settings.REACTION_LABEL,
        settings.STAFF_BADGE_LABEL,
        get_script_prefix(),
        context["thread_closed"],
        context["guests_allowed"],
        context["page_url"],
        signed_in,
    )
    for comment in thread_page.comments:
        if getattr(comment, "replies_gap", None) is not None:
            continue
        comment.block_key = repr(
            (
                around,
                _drawn_from(comment),
                _reader_marks(comment, viewer),
                tuple((_drawn_from(r), _reader_marks(r, viewer)) for r in comment.shown_replies),
                comment.more_replies,
                comment.replies_cursor,
            )
        )


def _continued(thread_page, sort: str) -> str:
    """What a later page of the thread (no JavaScript: "Show more comments" is a link) puts
    before the article's title, so that it is not titled as the first page (WCAG 2.4.2):
    "Comments 21–40" oldest first, else "More comments, newest first"."""
    if thread_page is None or not thread_page.comments:
        return ""
    numbers = [comment.number for comment in thread_page.comments if comment.number]
    if sort == selectors.DEFAULT_SORT and numbers:
        return f"Comments {numbers[0]:,}–{numbers[-1]:,}"
    return f"More comments, {selectors.SORTS[sort].lower()}"


def thread_context(
    request: HttpRequest, *, page: Page, form: CommentForm | None = None
) -> dict[str, Any]:
    """Everything the thread under an article needs, for the page template."""
    thread = selectors.thread_for_page(page_id=page.pk)
    # Before the comments are read, so that none posted meanwhile is missed (live.position).
    live_since = live.position(thread.pk) if thread is not None else ""
    viewer = identity.commenter(request)
    focus = None
    focus_id = _int_param(request, "c")
    if thread is not None and focus_id is not None:
        focus = selectors.comment_get(comment_id=focus_id, viewer=viewer)
        if focus is not None and focus.thread_id != thread.pk:
            focus = None
    # A link to one comment opens the oldest-first page that holds it, whatever the sort.
    sort = selectors.DEFAULT_SORT if focus else _sort(request)
    after = None if focus else request.GET.get("after", "")[:64]
    thread_page = None
    featured: list[Comment] = []
    if thread is not None:
        featured = selectors.featured_comments(thread=thread)
        thread_page = selectors.thread_page(
            thread=thread,
            sort=sort,
            after=after,
            start_at=(focus.root_id or focus.pk) if focus else None,
            limit=settings.COMMENTS_PAGE_SIZE,
            replies_shown=settings.REPLIES_SHOWN,
            include_replies_through=focus if focus and focus.root_id else None,
            viewer=viewer,
        )
        _mark_reacted(request, viewer, thread_page.comments, featured)
    reply_to = None
    reply_to_id = _int_param(request, "reply_to")
    if form is None:
        form = CommentForm()
        if viewer.user_id is None:
            # A guest who commented before finds the name they used already filled in, and the
            # email address too while their browser stays open (core.client.guest_email).
            form.initial["author_name"] = guest_name(request)
            form.initial["author_email"] = guest_email(request)
        if pagecache.is_candidate(request):
            form.initial["idempotency_key"] = pagecache.idempotency_placeholder()
        if reply_to_id is not None:
            reply_to = selectors.comment_get(comment_id=reply_to_id)
            if (
                reply_to is not None
                and reply_to.status == Comment.Status.PUBLISHED
                and thread is not None
                and reply_to.thread_id == thread.pk
            ):
                form.initial["parent"] = reply_to.pk
            else:
                reply_to = None
    elif form.data.get("parent"):
        parent_id = form.cleaned_data.get("parent") if hasattr(form, "cleaned_data") else None
        reply_to = selectors.comment_get(comment_id=parent_id) if parent_id else None
    closed = closing.closed_notice(thread, page)
    return {
        "comments_continued": _continued(thread_page, sort) if after else "",
        "thread": thread,
        "live_since": live_since,
        "viewer": viewer,
        "guests_allowed": services.guests_allowed(thread or Thread()),
        "thread_page": thread_page,
        "featured": featured,
        "sort": sort,
        "sorts": selectors.SORTS,
        "thread_closed": bool(closed),
        "closed_notice": closed,
        "comment_form": form,
        "reply_to": reply_to,
        "focus_id": focus.pk if focus else None,
        "page_url": page.url,
    }


# Why a comment or reply was not saved while Redis does not answer (its rate limits uncounted).
UNREACHABLE_TEXT_KEPT = UNREACHABLE_DETAIL + " Your text is still here."


def comment_post(request: HttpRequest, *, page: Page) -> HttpResponse | tuple[CommentForm, int]:
    """Handle the comment form posted to an article.

    Returns the response for a saved comment, or the bound form and status to show the article
    again with the reader's text and the reasons it was not saved.
    """
    form = CommentForm(request.POST)
    preview = bool(request.POST.get("preview"))
    if request.POST.get("as_member") and not request.user.is_authenticated:
        return _signed_out_meanwhile(request, form)
    try:
        if preview:
            return _preview(request, form)
        return _comment_post(request, form, page=page)
    except UNREACHABLE:
        # The rate limits could not be counted (core.cache): nothing was saved, and the reader's
        # text comes back with the page (the article's readers are served meanwhile), for htmx
        # in place of the form sent. The article's own answer says when to try again.
        form.add_error(None, posting.PREVIEW_UNREACHABLE if preview else UNREACHABLE_TEXT_KEPT)
        again = _form_again(request, form, status=503)
        if isinstance(again, HttpResponse):
            unreachable_in_place(again)
        return again


SIGNED_OUT_MEANWHILE = (
    "Your comment was not posted: you were signed out before it was sent (your session ended, "
    "or you signed out on another device). Your text is below. To post it under your name, "
    "copy it, then sign in again; or post it as a guest."
)


def _signed_out_meanwhile(
    request: HttpRequest, form: CommentForm
) -> HttpResponse | tuple[CommentForm, int]:
    """A member's form (it says so: ``as_member``) sent without their session: nothing is
    posted, not even under a guest's name, and the form comes back as a guest's with the text,
    saying why, with the way to sign in again. Counted as a refused post is."""
    if ratelimit.count_each([posting.rate_limit(request)])[0]:
        return _too_fast(request, form, wait=None)
    form.add_error(None, SIGNED_OUT_MEANWHILE)
    form.sign_in_again = sign_in_to_finish(request)["Location"]
    return _form_again(request, form, status=400)


def _comment_post(
    request: HttpRequest, form: CommentForm, *, page: Page
) -> HttpResponse | tuple[CommentForm, int]:
    # Counted for every post: here for a form that cannot be sent on, else with screening's
    # limits (one round trip to the cache), as comment_create counts its caller's ``limits``.
    if not form.is_valid():
        if ratelimit.count_each([posting.rate_limit(request)])[0]:
            return _too_fast(request, form, wait=None)
        return _form_again(request, form, status=400)
    data = form.cleaned_data
    try:
        posted = posting.comment_post_for(
            request,
            page=page,
            body=data["body"],
            author_name=data["author_name"],
            author_email=data["author_email"],
            parent_id=data["parent"],
            idempotency_key=data["idempotency_key"] or "",
            confirmed=data.get("confirm") or False,
        )
    except CommentRefused as refusal:
        if "posting_too_fast" in refusal.codes:
            return _too_fast(request, form, wait=refusal.retry_after)
        # Screening asks the reader to reread a comment that may break the rules; the form comes
        # back with the warning and a flag, so sending it again posts it as it stands.
        form.confirm_needed = "confirm_needed" in refusal.codes
        # A banned reader's refusal links to the ban's statement of reasons and its appeal.
        form.banned = "banned_reader" in refusal.codes
        for field_name, messages in refusal.message_dict.items():
            target = field_name if field_name in ("body", "author_name", "author_email") else None
            for message in messages:
                form.add_error(target, message)
        return _form_again(request, form, status=400)
    comment = posted.comment

    # A held comment shows in place to its author alone, marked as waiting, with a link to why.
    if _is_htmx(request):
        response = _posted_fragment(request, comment=comment, page=page)
    else:
        response = HttpResponseRedirect(f"{page.url}?{urlencode({'c': comment.pk})}#c-{comment.pk}")
    posting.remember_poster(request, response, posted)
    posting.remember_email_for_the_form(request, response, posted)
    return response


def _preview(request: HttpRequest, form: CommentForm) -> HttpResponse | tuple[CommentForm, int]:
    """The form's Preview button: the form comes back as it was sent, with the comment drawn
    beneath the text as it would appear (``services.comment_preview``). Nothing is saved, and
    the idempotency key stays, so posting afterwards makes exactly one comment."""
    if posting.preview_over_limit(request):
        form.retry_after = posting.preview_wait()
        said = (
            "You are asking for previews faster than this site allows. {Wait}, then try again; "
            "your text is still here."
        )
        form.add_error(None, ratelimit.say_wait(said, form.retry_after))
        return _form_again(request, form, status=429)
    if not form.is_valid():
        return _form_again(request, form, status=400)
    try:
        form.preview_html = services.comment_preview(body=form.cleaned_data["body"])
    except CommentRefused as refusal:
        for message in refusal.message_dict.get("body", ()):
            form.add_error("body", message)
        return _form_again(request, form, status=400)
    return _form_again(request, form, status=200)


def _too_fast(
    request: HttpRequest, form: CommentForm, *, wait: int | None
) -> HttpResponse | tuple[CommentForm, int]:
    """The form back, 429, saying to wait ``wait`` seconds (the limits the comment was over), or
    without it the address's limit, the one counted for a form that could not be sent on; the
    answer's ``Retry-After`` carries the same (``form.retry_after``)."""
    if wait is None:
        wait = ratelimit.seconds_to_next_window(posting.rate_limit(request)[2])
    form.retry_after = wait
    said = (
        "You are posting faster than this site allows. {Wait}, then send again; your text is "
        "still here."
    )
    form.add_error(None, ratelimit.say_wait(said, wait))
    return _form_again(request, form, status=429)


def _form_again(
    request: HttpRequest, form: CommentForm, *, status: int
) -> HttpResponse | tuple[CommentForm, int]:
    """The comment form back as the reader sent it (refused, or with a preview): for htmx, the
    form alone, swapped in for the one sent; else (form, status) for the article to draw. A
    429's form carries its ``retry_after``, for the answer's ``Retry-After``."""
    if not _is_htmx(request):
        return form, status
    parent_id = form.cleaned_data.get("parent") if hasattr(form, "cleaned_data") else None
    html = render_to_string(
        "discussion/_comment_form.html",
        {
            "comment_form": form,
            "reply_to": selectors.comment_get(comment_id=parent_id) if parent_id else None,
            "form_id": f"reply-form-{parent_id}" if parent_id else "comment-form",
            "action": request.path,
        },
        request=request,
    )
    response = HttpResponse(html, status=422 if status == 400 else status)
    if status == 429:
        response["Retry-After"] = str(form.retry_after)
    response["HX-Retarget"] = f"#reply-form-{parent_id}" if parent_id else "#comment-form"
    response["HX-Reswap"] = "outerHTML"
    return response


def _posted_fragment(request: HttpRequest, *, comment: Comment, page: Page) -> HttpResponse:
    """The new comment to insert in place, a fresh form, and an announcement for screen readers."""
    if comment.parent_id:
        comment.parent_name = (
            Comment.objects.filter(pk=comment.parent_id)
            .values_list("author_name", flat=True)
            .first()
            or ""
        )
    comment.shown_replies = []
    comment.more_replies = 0
    viewer = identity.commenter(request)
    if viewer.user_id is None:
        # The cookie that remembers this guest's comment goes out with this very response, so
        # the fragment already shows them Edit and Delete, as the next page will.
        viewer = dataclasses.replace(
            viewer, guest_comment_ids=viewer.guest_comment_ids | {comment.pk}
        )
    html = render_to_string(
        "discussion/_posted.html",
        {
            "comment": comment,
            # A reply goes at the end of its list, where the replies not yet shown will come;
            # when its place is among those the page shows (before this reply), site.js moves
            # it there, so a reply to an earlier reply does not sit among later ones.
            "place_before": (
                selectors.reply_following(reply=comment, viewer=viewer) if comment.root_id else None
            ),
            "page_url": page.url,
            # A guest's next comment keeps the name and email address they just used (WCAG
            # 3.3.7); a member's is their own.
            "comment_form": CommentForm(
                initial=(
                    {"author_name": comment.author_name, "author_email": comment.author_email}
                    if viewer.user_id is None
                    else {}
                )
            ),
            "action": page.url,
            "form_id": "comment-form",
            "viewer": viewer,
            "guests_allowed": services.guests_allowed(comment.thread),
            # The heading counts published comments: one that is, counts there at once, as the
            # next page load would show it (a held one counts once a moderator approves it).
            "comment_count": (
                selectors.comment_counts_for_pages([page.pk]).get(page.pk)
                if comment.status == Comment.Status.PUBLISHED
                else None
            ),
        },
        request=request,
    )
    response = HttpResponse(html)
    if comment.root_id:
        response["HX-Retarget"] = f"#replies-{comment.root_id}"
    else:
        response["HX-Retarget"] = "#comment-list"
    response["HX-Reswap"] = "beforeend"
    return response


def _thread_page_or_404(request: HttpRequest, thread_id: int) -> tuple[Thread, Page]:
    """The thread and its article, when this reader may read the article; else 404."""
    thread = selectors.readable_thread(request=request, thread_id=thread_id)
    if thread is None:
        raise Http404("No such discussion")
    return thread, thread.page


def comments_more(request: HttpRequest, thread_id: int) -> HttpResponse:
    """The next page of top-level comments (htmx appends it; a browser gets the article).

    For an anonymous reader the fragment is kept by the page cache until the thread changes.
    """
    deps = None
    if _is_htmx(request) and pagecache.is_candidate(request):
        deps = pagecache.tokens(["site", pagecache.thread_token(thread_id)])
    thread, page = _thread_page_or_404(request, thread_id)
    after = request.GET.get("after", "")[:64]
    sort = _sort(request)
    if not _is_htmx(request):
        params = {"sort": sort if sort != selectors.DEFAULT_SORT else "", "after": after}
        query = urlencode({key: value for key, value in params.items() if value})
        return HttpResponseRedirect(f"{page.url}?{query}#comments" if query else page.url)
    viewer = identity.commenter(request)
    thread_page = selectors.thread_page(
        thread=thread,
        sort=sort,
        after=after,
        limit=settings.COMMENTS_PAGE_SIZE,
        replies_shown=settings.REPLIES_SHOWN,
        viewer=viewer,
    )
    _mark_reacted(request, viewer, thread_page.comments)
    context = {
        "thread": thread,
        "thread_page": thread_page,
        "page_url": page.url,
        "sort": sort,
        "viewer": viewer,
        "guests_allowed": services.guests_allowed(thread),
        "thread_closed": closing.closed_notice(thread, page) is not None,
        # The comments drawn once for every reader are reused here too (comment_block_keys);
        # the reader's own token goes in after the drawing, by the page cache or just below.
        "csrf_token": pagecache.csrf_placeholder(),
    }
    comment_block_keys(request, context)
    response = render(request, "discussion/_comments_more.html", context)
    if deps is None:
        return pagecache.fill_csrf_placeholder(request, response)
    return pagecache.mark(response, deps)


ON_SCREEN_MOST = 50  # replies a "Show more replies" press may say its page already shows


def _on_screen(request: HttpRequest) -> frozenset[int]:
    """``shown``: the replies the reader's page shows out of their place (one they posted, one
    live updates put in), ids joined by commas, as site.js sends them with a "Show more
    replies" press. Anything that is not such a list, or a longer one, reads as none."""
    raw = request.GET.get("shown", "")
    parts = raw.split(",") if raw else []
    if len(parts) > ON_SCREEN_MOST or not all(p.isascii() and p.isdigit() for p in parts):
        return frozenset()
    return frozenset(int(p) for p in parts if len(p) <= 19)


def replies_more(request: HttpRequest, comment_id: int) -> HttpResponse:
    """More replies under a top-level comment: a fragment for htmx, a whole page otherwise.

    ``after`` is the path of the last reply the reader has. ``before``, from the "Show N earlier
    replies" control of a link's page, bounds the replies to the gap that page left out; htmx
    then gets them as list items to put in place of the control.
    """
    root = selectors.comment_get(comment_id=comment_id)
    if root is None or root.depth != 0:
        raise Http404("No such comment")
    thread, page = _thread_page_or_404(request, root.thread_id)
    longest = Comment._meta.get_field("path").max_length

    def path_param(name: str) -> str:
        """A reply's path (ids in digits joined by "/"); anything else reads as absent."""
        raw = request.GET.get(name, "")
        if len(raw) <= longest and raw.isascii() and all(s.isdigit() for s in raw.split("/") if s):
            return raw
        return ""

    after_path, before_path = path_param("after"), path_param("before")
    viewer = identity.commenter(request)
    page_of_replies = selectors.replies_page(
        root=root,
        after_path=after_path,
        before_path=before_path,
        limit=settings.REPLIES_PAGE_SIZE,
        viewer=viewer,
        on_screen=_on_screen(request),
    )
    replies = page_of_replies.replies
    _mark_reacted(request, viewer, replies)
    context = {
        "root": root,
        "replies": replies,
        "has_more": page_of_replies.has_more,
        "remaining": page_of_replies.remaining,
        "arrived": page_of_replies.arrived,
        "next_path": replies[-1].path if replies else after_path,
        "before_path": before_path,
        "page_url": page.url,
        "thread": thread,
        "page": page,
        "guests_allowed": services.guests_allowed(thread),
        # As on the article page: the reader's own replies offer Edit and Delete, and a closed
        # thread offers no Reply or Report.
        "viewer": viewer,
        "thread_closed": closing.closed_notice(thread, page) is not None,
    }
    if not _is_htmx(request):
        template = "discussion/replies.html"
    elif before_path:
        template = "discussion/_replies_gap.html"
    else:
        template = "discussion/_replies_more.html"
    return render(request, template, context)


def reply_form(request: HttpRequest, comment_id: int) -> HttpResponse:
    """The reply form for one comment, inserted under it by htmx."""
    parent = selectors.comment_get(comment_id=comment_id)
    if parent is None or parent.status != Comment.Status.PUBLISHED:
        # A deleted or removed comment's place holder takes no replies (comment_create refuses
        # them), so it offers no form to write one in.
        raise Http404("No such comment")
    thread, page = _thread_page_or_404(request, parent.thread_id)
    reply_url = f"{page.url}?{urlencode({'reply_to': parent.pk})}#comment-form"
    if not _is_htmx(request):
        return HttpResponseRedirect(reply_url)
    if identity.commenter(request).user_id is None and not services.guests_allowed(thread):
        # A guest on a discussion for members only is asked to sign in where they pressed Reply,
        # not given a form that could only be refused once they had written in it. Signing in
        # leads to the reply form for this comment (?reply_to=, as without JavaScript).
        return render(
            request,
            "discussion/_reply_sign_in.html",
            {"parent": parent, "reply_url": reply_url},
        )
    form = CommentForm(
        initial={
            "parent": parent.pk,
            "author_name": guest_name(request),
            "author_email": guest_email(request),
        }
    )
    return render(
        request,
        "discussion/_comment_form.html",
        {
            "comment_form": form,
            "reply_to": parent,
            "thread_closed": closing.closed_notice(thread, page) is not None,
            "form_id": f"reply-form-{parent.pk}",
            "action": page.url,
        },
    )


def comment_permalink(request: HttpRequest, comment_id: int) -> HttpResponse:
    """/c/<id>: the article page that holds the comment, scrolled to it. Its author's own held
    or removed comment is theirs to open (the page shows it to them, marked as such). One
    deleted with its replies kept opens at its shell; one that left no row, in the browser that
    deleted it (own_deletions), opens the article's comments with a note that it was deleted."""
    comment = selectors.comment_get(comment_id=comment_id, viewer=identity.commenter(request))
    if comment is None:
        return _deleted_here_or_404(request, comment_id)
    thread = selectors.readable_thread(request=request, thread_id=comment.thread_id)
    if thread is None:
        return _sign_in_first_or_404(request, comment.pk)
    url = thread.page.url
    return HttpResponseRedirect(f"{url}?{urlencode({'c': comment.pk})}#c-{comment.pk}")


def _deleted_here_or_404(request: HttpRequest, comment_id: int) -> HttpResponse:
    thread = own_deletions.deleted_from(request, comment_id)
    if thread is None:
        raise Http404("No such comment")
    messages.info(request, "This comment was deleted.")
    return HttpResponseRedirect(f"{thread.page.url}#comments")


def _sign_in_first_or_404(request: HttpRequest, comment_id: int) -> HttpResponse:
    """A signed-out reader following a link to a comment on an article any signed-in reader
    may read is sent to sign in, and from there back to the comment. Behind a group or a
    password the link stays as missing as the discussion (nothing says it exists)."""
    article = selectors.comment_article(comment_id=comment_id)
    closed = page_for_sign_in(request=request, page=article) if article is not None else None
    if closed is not None and closed.for_any_reader and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404("No such discussion")


@require_POST
def comment_react(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Recommend a comment, or take the recommendation back (POST; CSRF-checked).

    htmx gets the button back, pressed or not, with the new count, plus an announcement for
    screen readers; a plain browser is sent back to the comment.
    """
    comment = selectors.comment_get(comment_id=comment_id)
    if comment is None or comment.status != Comment.Status.PUBLISHED:
        raise Http404("No such comment")
    thread, page = _thread_page_or_404(request, comment.thread_id)
    if closing.closed_notice(thread, page) is not None:
        # Closed by its own switch or by an app's rule (the article's age): as the page shows
        # it, with counts and no buttons. The service refuses the switch again, under its lock.
        return _reaction_refused(
            request, comment=comment, page=page, message=services.REACTIONS_CLOSED
        )
    viewer = identity.commenter(request)
    if viewer.user_id is None and not services.guests_allowed(thread):
        return HttpResponse("Sign in to recommend comments here.", status=403)
    # Per reader, and a guest new to recommending (no cookie, or one never seen recommend, which
    # any form may have handed out) per address too: see discussion.reaction_limits.
    try:
        counted = reaction_limits.reaction_count(request, user_id=viewer.user_id)
    except UNREACHABLE:
        # Not counted, Redis not answering (core.cache): nothing changes, and the reader is told
        # so where the button was (or on a page of its own), as for a refusal of any other kind.
        refused = _reaction_refused(
            request,
            comment=comment,
            page=page,
            message=UNREACHABLE_DETAIL,
            status=503,
            viewer=viewer,
        )
        return unreachable_in_place(refused)
    if counted.refusal is not None:
        refused = _reaction_refused(
            request,
            comment=comment,
            page=page,
            message=counted.refusal,
            status=429,
            viewer=viewer,
        )
        refused["Retry-After"] = str(counted.retry_after)
        return refused
    key = guest_key(request) or secrets.token_urlsafe(16)
    # A member pressing a button that shows pressed for what this browser recommended as a
    # guest before they signed in takes that recommendation back: one reader, counted once.
    as_guest = viewer.user_id is not None and selectors.reacted_ids(
        reader_keys=[services.reader_key_for(user_id=None, guest_key=guest_key(request))],
        comment_ids=[comment.pk],
    )
    try:
        state = services.reaction_toggle(
            comment=comment,
            reader_key=key,
            user_id=None if as_guest else viewer.user_id,
            guest_comment_ids=viewer.guest_comment_ids,
            network=client_network(request),
        )
    except services.ReactionRefused as refusal:
        return _reaction_refused(
            request,
            comment=comment,
            page=page,
            message=str(refusal),
            link=(refusal.link, refusal.link_label),
        )
    if as_guest:  # still pressed if the account had recommended it too (on another device)
        mine = selectors.reacted_ids(
            reader_keys=_reader_keys(request, viewer), comment_ids=[comment.pk]
        )
        state = dataclasses.replace(state, pressed=bool(mine))
    if viewer.user_id is None and counted.new_guest:
        reaction_limits.guest_reacted(key)
    if _is_htmx(request):
        comment.reacted = state.pressed
        response = render(
            request,
            "discussion/_reaction_swap.html",
            {"comment": comment, "guests_allowed": True, "announce": True},
        )
    else:
        response = HttpResponseRedirect(f"{page.url}?{urlencode({'c': comment.pk})}#c-{comment.pk}")
    if viewer.user_id is None:
        guest_key_ensure(request, response, key=key)
    return response


def _reaction_refused(
    request: HttpRequest,
    *,
    comment: Comment,
    page: Page,
    message: str,
    status: int | None = None,
    viewer: identity.Commenter | None = None,
    link: tuple[str, str] = ("", ""),
) -> HttpResponse:
    """Tell the reader why nothing changed: in place of the button for htmx (422, the 429 of a
    rate limit, or the 503 of one that could not be counted, which site.js lets htmx swap in),
    as an alert that is announced; or on a page of its own with the way back to the comment.

    Refused by a rate limit (``viewer`` given: the reader may press again later), htmx gets the
    button back as it was, pressed or not for this reader, with its count, and the alert beside
    it, so a press once the limit allows works without reloading the page; refused for good (a
    closed discussion), the count as it stands and no button."""
    if _is_htmx(request):
        context = {
            "comment": comment,
            "message": message,
            "keep_button": viewer is not None,
            # Where they read more and contest it (a ban's statement and appeal), if anywhere.
            "more_url": link[0],
            "more_label": link[1],
        }
        if viewer is not None:
            comment.reacted = comment.pk in selectors.reacted_ids(
                reader_keys=_reader_keys(request, viewer), comment_ids=[comment.pk]
            )
        return render(request, "discussion/_reaction_refused.html", context, status=status or 422)
    context = {
        "message": message,
        "back_url": f"{page.url}?{urlencode({'c': comment.pk})}#c-{comment.pk}",
        "back_label": "Back to the comment",
        "more_url": link[0],
        "more_label": link[1],
    }
    return render(request, "core/nothing_changed.html", context, status=status or 409)


async def thread_events(request: HttpRequest, thread_id: int) -> StreamingHttpResponse:
    """The thread's live events as Server-Sent Events (``discussion.live``).

    A reconnecting browser sends ``Last-Event-ID`` and gets what it missed first. Served by the
    ASGI server; each open stream is a small queue, not a thread.
    """
    # As every other view of the discussion: a thread whose article is not published, or that
    # this reader may not open, has no stream either.
    await sync_to_async(_thread_page_or_404)(request, thread_id)
    last_event_id = request.headers.get("Last-Event-ID", "")[:64]
    since = request.GET.get("since", "")[:64]
    response = StreamingHttpResponse(
        live.stream(thread_id, last_event_id, since), content_type="text/event-stream"
    )
    response["Cache-Control"] = "no-cache, no-transform"
    response["X-Accel-Buffering"] = "no"  # tell a proxy in front not to hold events back
    return response


def _ids_param(request: HttpRequest) -> list[int]:
    ids = []
    for part in request.GET.get("ids", "")[:1024].split(","):
        if part.isascii() and part.isdigit() and 0 < int(part) < 2**63:
            ids.append(int(part))
    return ids[: selectors.MAX_BY_IDS]


def comments_new(request: HttpRequest, thread_id: int) -> HttpResponse:
    """The comments a live event announced, for the "new comments - show" button to insert."""
    thread, page = _thread_page_or_404(request, thread_id)
    viewer = identity.commenter(request)
    comments = selectors.comments_by_ids(thread=thread, ids=_ids_param(request), viewer=viewer)
    _mark_reacted(request, viewer, comments)
    return render(
        request,
        "discussion/_live_comments.html",
        {
            "comments": comments,
            "thread": thread,
            "page_url": page.url,
            "viewer": viewer,
            "thread_closed": closing.closed_notice(thread, page) is not None,
            "guests_allowed": services.guests_allowed(thread),
        },
    )
