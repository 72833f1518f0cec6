"""Thin views for a reader's own comment: edit (within the window) and delete.

GET shows a page with a form; only the POST changes anything. The edit page says until when the
comment can be changed, and carries the signed time it was opened, so that what is written on it
can be saved for long after the window has closed (``discussion.edit_window``); once the window
has closed, its GET says so, with a link to the comment, instead of a form that could only fail.
Someone else's comment answers 403, whoever asks. A deleted comment's pages say so and lead back
to the article (the browser's Back button after a deletion lands on its delete page): for its
shell, to the shell in the thread; for a comment that left no row, only in the browser that
deleted it (``discussion.own_deletions``), and 404 anywhere else, as for an id that never was.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from accounts.models import Reader
from accounts.selectors import reader_for_user
from accounts.session_ended import sign_in_to_finish, unsent_session_ended
from core import ratelimit
from core.cache import UNREACHABLE
from core.client import client_network, guest_key
from core.middleware import UNREACHABLE_DETAIL, unreachable_in_place
from discussion import edit_window, identity, own_comments, own_deletions, posting, services
from discussion.errors import CommentForbidden, CommentRefused
from discussion.models import Comment


def _limited(request: HttpRequest) -> bool:
    """An edit's or a deletion's POST counts against the address's allowance (a /64 for IPv6,
    behind the trusted proxies: core.client), as the comment form's does."""
    return ratelimit.over_rates(
        [(client_network(request), settings.COMMENT_EDIT_RATE_LIMIT)], prefix="comment-own"
    )


def _wait() -> int:
    """Seconds until the window of :func:`_limited` ends: a refusal's ``Retry-After``, and the
    wait its message says."""
    return ratelimit.seconds_to_next_window(settings.COMMENT_EDIT_RATE_LIMIT)


def _says_when_to_try_again(refused: HttpResponse, wait: int) -> HttpResponse:
    """A refusal for the rate (:func:`_limited`), with when its window ends (``Retry-After``)."""
    refused["Retry-After"] = str(wait)
    return refused


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "discussion/own_forbidden.html", {"message": message}, status=403)


def _session_ended(request: HttpRequest, comment: Comment) -> bool:
    """A member's comment, pressed for by nobody signed in: their session has ended (expired,
    or signed out in another tab), not someone else's hand on it."""
    return comment.author_id is not None and not request.user.is_authenticated


def _article_gone(comment: Comment) -> bool:
    """Whether the comment's article was deleted or unpublished: a 404 to its readers."""
    page = comment.thread.page
    return page is None or not page.live


def _article_url(comment: Comment) -> str:
    """The comment's article; the front page once the article was deleted or unpublished
    (reversed, so a site served under a path prefix keeps its readers under it)."""
    if _article_gone(comment):
        return reverse("wagtail_serve", args=[""])
    return comment.thread.page.url


def _deleted(request: HttpRequest, *, back_url: str, replies_kept: bool) -> HttpResponse:
    context = {"back_url": back_url, "replies_kept": replies_kept}
    return render(request, "discussion/comment_deleted.html", context, status=410)


def _deleted_here_or_404(request: HttpRequest, comment_id: int) -> HttpResponse:
    """No such comment: "deleted", with the way back to its article, in the browser that
    deleted it (and may still read the article); 404 anywhere else."""
    thread = own_deletions.deleted_from(request, comment_id)
    if thread is None:
        raise Http404("No such comment")
    return _deleted(request, back_url=f"{thread.page.url}#comments", replies_kept=False)


def _deleted_shell(request: HttpRequest, comment: Comment) -> HttpResponse:
    """One's own comment deleted with its replies kept: "deleted", with a link to its shell."""
    back_url = f"{_article_url(comment)}?{urlencode({'c': comment.pk})}#c-{comment.pk}"
    return _deleted(request, back_url=back_url, replies_kept=True)


@require_http_methods(["GET", "POST"])
def comment_edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = Comment.objects.select_related("thread__page").filter(pk=comment_id).first()
    if comment is None:
        return _deleted_here_or_404(request, comment_id)
    who = identity.commenter(request)
    if not who.owns(comment):
        if _session_ended(request, comment):
            if request.method == "POST":
                return unsent_session_ended(
                    request,
                    text=request.POST.get("body", ""),
                    unsent="Your changes were not saved",
                    form_named="the comment's edit page",
                )
            return sign_in_to_finish(request)
        return _forbidden(request, "This is not your comment, so you cannot edit it.")
    if comment.status == Comment.Status.DELETED:
        return _deleted_shell(request, comment)
    if request.method == "GET":
        return _edit_page(request, comment, body=comment.body)
    body = request.POST.get("body", "")
    posted_token = request.POST.get("opened", "")
    if request.POST.get("preview"):
        return _edit_preview(request, comment, body=body, token=posted_token)
    try:
        limited = _limited(request)
    except UNREACHABLE:
        # Not counted, Redis not answering (core.cache): nothing is saved, and the edit comes
        # back in its box with why, as a new comment does.
        error = UNREACHABLE_DETAIL + " Your text is still here."
        again = _edit_page(request, comment, body=body, token=posted_token, error=error)
        return unreachable_in_place(again)
    if limited:
        wait = _wait()
        error = ratelimit.say_wait("Too many edits; {wait}.", wait)
        again = _edit_page(request, comment, body=body, token=posted_token, error=error, status=429)
        return _says_when_to_try_again(again, wait)
    try:
        saved = own_comments.comment_edit(
            comment=comment,
            body=body,
            user_id=who.user_id,
            guest_comment_ids=who.guest_comment_ids,
            guest_key=guest_key(request),
            opened_token=posted_token,
        )
    except CommentForbidden as refusal:
        return _forbidden(request, str(refusal))
    except CommentRefused as refusal:
        return _edit_page(
            request, comment, body=body, token=posted_token, status=400, **_refusal(refusal)
        )
    # Said on the article it returns to, as a deletion is (base.html's status region); an edit
    # held for review says so in the words a held new comment or reply gets (_posted.html).
    messages.success(request, _saved_message(saved))
    url = _article_url(comment)
    return HttpResponseRedirect(f"{url}?{urlencode({'c': comment.pk})}#c-{comment.pk}")


def _saved_message(comment: Comment) -> str:
    kind = "reply" if comment.parent_id else "comment"
    if comment.status == Comment.Status.PENDING:
        return f"Your {kind} was saved and is waiting for review."
    return f"Your {kind} was saved."


def _edit_preview(request: HttpRequest, comment: Comment, *, body: str, token: str) -> HttpResponse:
    """The edit page's Preview button: the page again with the text as sent and the comment
    drawn from it as it would be stored (``services.comment_preview``, not screened). Nothing
    is saved; the page's opening time is handled as for any page drawn again (``_edit_page``)."""
    try:
        over_limit = posting.preview_over_limit(request)
    except UNREACHABLE:
        # Not counted, Redis not answering (core.cache): no preview, and the page comes back
        # with the text as sent and why, as an edit sent meanwhile does.
        error = posting.PREVIEW_UNREACHABLE
        return unreachable_in_place(
            _edit_page(request, comment, body=body, token=token, error=error)
        )
    if over_limit:
        wait = posting.preview_wait()
        error = ratelimit.say_wait(
            "You are asking for previews faster than this site allows; {wait}.", wait
        )
        again = _edit_page(request, comment, body=body, token=token, error=error, status=429)
        return _says_when_to_try_again(again, wait)
    try:
        html = services.comment_preview(body=body)
    except CommentRefused as refusal:
        return _edit_page(request, comment, body=body, token=token, status=400, **_refusal(refusal))
    return _edit_page(request, comment, body=body, token=token, preview_html=html)


def _refusal(refusal: CommentRefused) -> dict[str, str | bool]:
    """A refused edit or preview's reasons for the edit page: what is wrong with the text
    (``body_error``, shown by the box and tied to it), anything else (``error``), and whether it
    is a banned reader's (``banned``: the page links to the ban's statement and its appeal)."""
    said = refusal.message_dict
    others = (reason for name, reasons in said.items() if name != "body" for reason in reasons)
    return {
        "body_error": " ".join(said.get("body", ())),
        "error": " ".join(others),
        "banned": "banned_reader" in refusal.codes,
    }


def _edit_page(
    request: HttpRequest,
    comment: Comment,
    *,
    body: str,
    token: str = "",
    error: str = "",
    body_error: str = "",
    status: int = 200,
    preview_html: str = "",
    banned: bool = False,
) -> HttpResponse:
    """The edit page: the form, saying until when it can be saved; or, when that time has
    passed, that editing has ended, with the reader's unsaved text (if any) to copy.

    While the window is open the page gets a new signed opening time; after it, a page drawn
    again (a refused save) keeps the one it was sent with, and with it the time it was given.

    ``body_error`` says what is wrong with the text, as the comment form does: by the box, which
    is marked invalid, described by it, and has focus. ``error`` (too many edits, the time has
    passed) is not about the text: it heads the page, with focus, and the box is left as it is.
    """
    if edit_window.edit_window_open(comment):
        token = edit_window.edit_opened_token(comment=comment)
    save_until = edit_window.edit_save_deadline(comment=comment, token=token)
    editable = comment.status in (Comment.Status.PUBLISHED, Comment.Status.PENDING)
    can_save = editable and timezone.now() <= save_until
    if not can_save and body_error:
        # No box to put it by: the page says it with the rest, above the text kept to copy.
        error, body_error = " ".join(filter(None, (error, body_error))), ""
    context = {
        "comment": comment,
        "body": body,
        "article_url": _article_url(comment),
        "article_gone": _article_gone(comment),
        "max_length": f"{settings.COMMENT_MAX_LENGTH:,}",
        "window_minutes": settings.COMMENT_EDIT_WINDOW_MINUTES,
        "window_open": edit_window.edit_window_open(comment),
        "window_ends": edit_window.edit_window_ends(comment),
        "save_until": save_until,
        "editable": editable,
        "can_save": can_save,
        "opened": token,
        "error": error,
        "body_error": body_error,
        "unsaved": bool(error or body_error) and body.strip() != comment.body,
        "preview_html": preview_html,
        "banned": banned,
    }
    return render(request, "discussion/comment_edit.html", context, status=status)


@require_http_methods(["GET", "POST"])
def comment_delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = Comment.objects.select_related("thread__page").filter(pk=comment_id).first()
    if comment is None:
        return _deleted_here_or_404(request, comment_id)
    who = identity.commenter(request)
    if not who.owns(comment):
        if _session_ended(request, comment):
            return sign_in_to_finish(request)
        return _forbidden(request, "This is not your comment, so you cannot delete it.")
    if comment.status == Comment.Status.DELETED:
        return _deleted_shell(request, comment)
    context = {
        "comment": comment,
        "article_url": _article_url(comment),
        "article_gone": _article_gone(comment),
    }
    if request.method == "GET":
        return render(request, "discussion/comment_delete.html", context)
    try:
        limited = _limited(request)
    except UNREACHABLE:
        # Not counted, Redis not answering (core.cache): the comment stays, and the page asking
        # to delete it comes back saying why, to press again in a minute.
        context["error"] = UNREACHABLE_DETAIL + " Your comment was not deleted."
        return unreachable_in_place(render(request, "discussion/comment_delete.html", context))
    if limited:
        wait = _wait()
        context["error"] = ratelimit.say_wait("Too many deletions; {wait}.", wait)
        again = render(request, "discussion/comment_delete.html", context, status=429)
        return _says_when_to_try_again(again, wait)
    try:
        own_comments.comment_delete(
            comment=comment, user_id=who.user_id, guest_comment_ids=who.guest_comment_ids
        )
    except CommentForbidden as refusal:
        return _forbidden(request, str(refusal))
    except CommentRefused as refusal:
        context["error"] = " ".join(m for ms in refusal.message_dict.values() for m in ms)
        return render(request, "discussion/comment_delete.html", context, status=400)
    messages.success(request, "Your comment was deleted.")
    response = HttpResponseRedirect(f"{_article_url(comment)}#comments")
    own_deletions.remember_deleted(
        request, response, comment_id=comment_id, thread_id=comment.thread_id
    )
    return response


@require_http_methods(["GET", "POST"])
def comment_reply_emails(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Mute or unmute reply emails for one of the signed-in reader's comments; counted with its
    edits and deletions (``COMMENT_EDIT_RATE_LIMIT``).

    Pressed after the reader's session has ended, the switch asks them to sign in, as the
    profile's forms do, and signing in sends them on to this address: its GET, which changes
    nothing, takes them back to the comment, saying that nothing was sent and which button to
    press again.
    """
    comment = get_object_or_404(Comment.objects.select_related("thread__page"), pk=comment_id)
    if not request.user.is_authenticated:
        return sign_in_to_finish(request)
    url = _article_url(comment)
    back = HttpResponseRedirect(f"{url}?{urlencode({'c': comment.pk})}#c-{comment.pk}")
    if request.method == "GET":
        if comment.author_id == request.user.pk:
            messages.info(request, _press_again_message(comment, user_id=request.user.pk))
        return back
    try:
        limited = _limited(request)
    except UNREACHABLE:
        # Not counted, Redis not answering (core.cache): the switch stays as it was, and a page
        # of its own says so (a 503 cannot be the redirect back), with the way to the comment.
        context = {
            "message": UNREACHABLE_DETAIL + " Reply emails were not changed.",
            "back_url": back.url,
            "back_label": "Back to the comment",
        }
        return unreachable_in_place(render(request, "core/nothing_changed.html", context))
    if limited:
        # Told on the article, where the redirect leads: no Retry-After to carry the wait.
        said = "Too many changes; {wait}. Reply emails were not changed."
        messages.error(request, ratelimit.say_wait(said, _wait()))
        return back
    # The switch's form sends "on" or "off"; any other value (an old page, a hand-made request)
    # is not read as "off", which would mute the comment without being asked to.
    choice = request.POST.get("reply_emails")
    if choice not in ("on", "off"):
        messages.error(
            request,
            "Nothing was changed: the switch sent neither “Email me replies” nor “Mute reply "
            "emails”. Press the button on your comment again.",
        )
        return back
    try:
        switched = own_comments.comment_set_reply_emails(
            comment=comment,
            user_id=identity.commenter(request).user_id,
            on=choice == "on",
        )
    except CommentForbidden as refusal:
        return _forbidden(request, str(refusal))
    # Said as an edit or a deletion is (base.html's status region): the relabelled button alone
    # is not announced, and a screen reader user would not know the press did anything.
    messages.success(
        request, _reply_emails_message(switched, reader=reader_for_user(user_id=request.user.pk))
    )
    return back


def _press_again_message(comment: Comment, *, user_id: int) -> str:
    """After signing in again: press the switch again, or, while the profile's email choice is
    Never (and the comment shows a link to it in the switch's place), that nothing is sent."""
    reader = reader_for_user(user_id=user_id)
    if reader is not None and not reader.notify_replies:
        return (
            "Nothing was changed. Your profile’s email choice is Never, so no reply emails are "
            "sent to you."
        )
    button = "Mute reply emails" if comment.notify_replies else "Email me replies"
    return f"Nothing was sent. Press “{button}” again."


def _reply_emails_message(comment: Comment, *, reader: Reader | None) -> str:
    """What the switch now does, said truly: the profile's email choice comes first, so a
    comment's emails turned on send nothing while it is Never (discussion.notifications)."""
    kind = "reply" if comment.parent_id else "comment"
    if not comment.notify_replies:
        return f"Reply emails for this {kind} are muted."
    if reader is not None and not reader.notify_replies:
        return format_html(
            "Reply emails for this {} are on, but your profile’s email choice is Never, so no "
            'reply emails are sent to you. <a href="{}#reply-emails">Change it on your '
            "profile</a>.",
            kind,
            reverse("reader_profile", args=[reader.pk]),
        )
    if reader is not None and reader.reply_digest:
        return f"Reply emails for this {kind} are on: its replies come in your one email a day."
    return f"Reply emails for this {kind} are on."
