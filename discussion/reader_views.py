"""A reader's own pages: profile, data export, account deletion.

They live in discussion because they list the reader's comments: accounts owns the reader and
discussion (which may import accounts, never the other way) owns the comments.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors as reader_selectors
from accounts import services as reader_services
from discussion import own_comments, posting, selectors


def profile(request: HttpRequest, reader_id: int) -> HttpResponse:
    """Display name, member since, and published comments with links back to each article."""
    reader = reader_selectors.reader_get(reader_id=reader_id)
    if reader is None or not reader.user.is_active:
        raise Http404("No such reader")
    is_me = request.user.is_authenticated and request.user.pk == reader.user_id
    return render(
        request,
        "discussion/reader_profile.html",
        {
            "reader": reader,
            "comments": selectors.comments_by_author(user_id=reader.user_id),
            "not_shown": (
                selectors.comments_not_shown_of_author(user_id=reader.user_id) if is_me else []
            ),
            "is_me": is_me,
            "is_staff": posting.is_staff_member(reader.user),
            "deleted_comments_mode": settings.DELETED_ACCOUNT_COMMENTS,
        },
    )


def profile_of_member(request: HttpRequest, user_id: int) -> HttpResponse:
    """The profile of the member who wrote a comment, from the account id the comment carries."""
    reader = reader_selectors.reader_for_user(user_id=user_id)
    if reader is None or not reader.user.is_active:
        raise Http404("No such reader")
    return HttpResponseRedirect(reverse("reader_profile", args=[reader.pk]))


@login_required
@require_POST
def export(request: HttpRequest) -> HttpResponse:
    """Everything held about the signed-in reader, as a JSON download (asked for by POST)."""
    user = request.user
    reader = reader_selectors.reader_for_user(user_id=user.pk)
    comments = selectors.comments_for_export(user_id=user.pk)
    for item in comments:
        item["url"] = f"{settings.SITE_BASE_URL}/c/{item['id']}/"
    data = {
        "exported_at": timezone.now().isoformat(),
        "site": settings.SITE_BASE_URL,
        "profile": {
            "display_name": reader.display_name if reader else None,
            "email": user.email,
            "member_since": (reader.created_at if reader else user.date_joined).isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "notification_settings": {
            "reply_emails": bool(reader and reader.notify_replies),
            "daily_digest": bool(reader and reader.reply_digest),
        },
        "comments": comments,
        "reactions": [],  # reactions are counted per comment, not stored per reader
    }
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="my-broadsheet-data.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest) -> HttpResponse:
    """GET asks for confirmation; the POST deletes the account and handles its comments."""
    mode = settings.DELETED_ACCOUNT_COMMENTS
    if request.method == "GET":
        return render(request, "discussion/reader_delete.html", {"mode": mode})
    if request.POST.get("confirm") != "yes":
        return render(
            request,
            "discussion/reader_delete.html",
            {
                "mode": mode,
                "error": "Tick the box to confirm that you want to delete your account.",
            },
            status=400,
        )
    user = request.user
    with transaction.atomic():
        own_comments.comments_of_reader_erase(user_id=user.pk, mode=mode)
        reader_services.reader_erase(user=user)
    logout(request)
    # Said after logout (which empties the session), so the message travels in its own cookie;
    # a request carrying that cookie is never answered from, or stored in, the anonymous page
    # cache (core.pagecache), so only this reader sees it, once.
    messages.success(request, _account_deleted_message(mode))
    return HttpResponseRedirect("/?account=deleted")


def _account_deleted_message(mode: str) -> str:
    comments = (
        "Your comments stay, shown under “Deleted account”."
        if mode == "keep"
        else "Your comments have been removed."
    )
    return f"Your account was deleted, and you are signed out. {comments}"
