"""Thin views for a reader's own comment: edit (within the window) and delete.

GET shows a page with a form; only the POST changes anything. Someone else's comment answers
403, whoever asks.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from core import ratelimit
from core.client import client_network, guest_key
from discussion import identity, own_comments
from discussion.errors import CommentForbidden, CommentRefused
from discussion.models import Comment


def _limited(request: HttpRequest) -> bool:
    """An edit's or a deletion's POST counts against the address's allowance (a /64 for IPv6,
    behind the trusted proxies: core.client), as the comment form's does."""
    return ratelimit.over_rates(
        [(client_network(request), settings.COMMENT_EDIT_RATE_LIMIT)], prefix="comment-own"
    )


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "discussion/own_forbidden.html", {"message": message}, status=403)


def _article_url(comment: Comment) -> str:
    page = comment.thread.page
    return page.url if page is not None else "/"


@require_http_methods(["GET", "POST"])
def comment_edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("thread__page"), pk=comment_id)
    who = identity.commenter(request)
    if not who.owns(comment):
        return _forbidden(request, "This is not your comment, so you cannot edit it.")
    context = {
        "comment": comment,
        "body": comment.body,
        "article_url": _article_url(comment),
        "max_length": f"{settings.COMMENT_MAX_LENGTH:,}",
    }
    if request.method == "GET":
        return render(request, "discussion/comment_edit.html", context)
    if _limited(request):
        context.update(body=request.POST.get("body", ""), error="Too many edits; wait a minute.")
        return render(request, "discussion/comment_edit.html", context, status=429)
    try:
        own_comments.comment_edit(
            comment=comment,
            body=request.POST.get("body", ""),
            user_id=who.user_id,
            guest_comment_ids=who.guest_comment_ids,
            guest_key=guest_key(request),
        )
    except CommentForbidden as refusal:
        return _forbidden(request, str(refusal))
    except CommentRefused as refusal:
        context.update(
            body=request.POST.get("body", ""),
            error=" ".join(m for ms in refusal.message_dict.values() for m in ms),
        )
        return render(request, "discussion/comment_edit.html", context, status=400)
    url = _article_url(comment)
    return HttpResponseRedirect(f"{url}?{urlencode({'c': comment.pk})}#c-{comment.pk}")


@require_http_methods(["GET", "POST"])
def comment_delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("thread__page"), pk=comment_id)
    who = identity.commenter(request)
    if not who.owns(comment):
        return _forbidden(request, "This is not your comment, so you cannot delete it.")
    context = {"comment": comment, "article_url": _article_url(comment)}
    if request.method == "GET":
        return render(request, "discussion/comment_delete.html", context)
    if _limited(request):
        context["error"] = "Too many deletions; wait a minute."
        return render(request, "discussion/comment_delete.html", context, status=429)
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
    return HttpResponseRedirect(f"{_article_url(comment)}#comments")


@require_http_methods(["POST"])
def comment_reply_emails(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Mute or unmute reply emails for one of the signed-in reader's comments."""
    comment = get_object_or_404(Comment.objects.select_related("thread__page"), pk=comment_id)
    try:
        own_comments.comment_set_reply_emails(
            comment=comment,
            user_id=identity.commenter(request).user_id,
            on=request.POST.get("reply_emails") == "on",
        )
    except CommentForbidden as refusal:
        return _forbidden(request, str(refusal))
    url = _article_url(comment)
    return HttpResponseRedirect(f"{url}?{urlencode({'c': comment.pk})}#c-{comment.pk}")
