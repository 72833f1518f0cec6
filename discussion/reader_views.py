"""A reader's own pages: profile, data export, account deletion.

They live in discussion because they list the reader's comments: accounts owns the reader and
discussion (which may import accounts, never the other way) owns the comments.
"""

from __future__ import annotations

from collections.abc import Iterator

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts import data_exports
from accounts import selectors as reader_selectors
from accounts import services as reader_services
from accounts.models import Reader
from accounts.name_forms import DisplayNameForm
from accounts.session_ended import session_ended, signed_in_to_finish
from core import json_stream, ratelimit
from core.cache import UNREACHABLE
from core.client import client_network
from core.middleware import UNREACHABLE_DETAIL, unreachable_in_place
from discussion import own_comments, posting, selectors
from discussion.reactions import reader_key_for


def profile(request: HttpRequest, reader_id: int) -> HttpResponse:
    """Display name, member since, and published comments with links back to each article."""
    reader = reader_selectors.reader_get(reader_id=reader_id)
    if reader is None or not reader.user.is_active:
        raise Http404("No such reader")
    return _profile_page(request, reader)


def _profile_page(
    request: HttpRequest,
    reader: Reader,
    *,
    name_form: DisplayNameForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The profile; for the reader themselves also their account's forms, the display name's
    bound to what they sent when it was refused."""
    is_me = request.user.is_authenticated and request.user.pk == reader.user_id
    context = {
        "reader": reader,
        "comments": selectors.comments_by_author(user_id=reader.user_id),
        "not_shown": (
            selectors.comments_not_shown_of_author(user_id=reader.user_id) if is_me else []
        ),
        "is_me": is_me,
        "is_staff": posting.is_staff_member(reader.user),
        "deleted_comments_mode": settings.DELETED_ACCOUNT_COMMENTS,
        "ip_retention_days": settings.IP_RETENTION_DAYS,
        # Whom they ignore, for their eyes only (discussion.ignore_views).
        "ignored": reader_selectors.members_ignored(user_id=reader.user_id) if is_me else [],
    }
    if is_me and not reader.sso_subject:
        context["name_form"] = name_form or DisplayNameForm(
            initial={"display_name": reader.display_name}, note=_name_change_note(reader)
        )
    return render(request, "discussion/reader_profile.html", context, status=status)


def _name_change_note(reader: Reader) -> str:
    """How often the name may change, and from when it may next, for the field's help text."""
    days = settings.DISPLAY_NAME_CHANGE_DAYS
    if not days:
        return ""
    every = "once a day" if days == 1 else f"once every {days} days"
    note = f"You can change it {every}."
    allowed_from = reader_selectors.reader_name_change_from(reader_id=reader.pk)
    if allowed_from is not None:
        note += f" Next from {timezone.localtime(allowed_from):%-d %B %Y, %H:%M}."
    return note


def _form_not_sent(request: HttpRequest, reader: Reader, *, button: str) -> HttpResponse:
    """A profile form's address opened (GET), which changes nothing: signing in sends a reader
    there when their session had ended as they pressed the form's button. The profile, where the
    form is, says that nothing was sent, rather than the browser's page for a 405."""
    messages.info(request, f"Nothing was sent. Press “{button}” again.")
    return HttpResponseRedirect(reverse("reader_profile", args=[reader.pk]))


@signed_in_to_finish
@require_http_methods(["GET", "POST"])
def name_change(request: HttpRequest) -> HttpResponse:
    """The profile's "Display name" form: the member's new name, held to sign-up's rules and to
    how often it may change (``accounts.services.reader_name_choose``). A refusal shows the
    profile again with the name as typed and the reason by the field; success goes back to the
    profile with a message (Post/Redirect/Get). Each try counts against the account and the
    address (``DISPLAY_NAME_CHANGE_RATE``), as each tells whether a name is free."""
    reader = reader_selectors.reader_for_user(user_id=request.user.pk)
    if reader is None:
        raise Http404("No reader profile")  # staff get one with their first comment
    if request.method == "GET":
        return _form_not_sent(request, reader, button="Save display name")
    form = DisplayNameForm(request.POST, note=_name_change_note(reader))
    rate = settings.DISPLAY_NAME_CHANGE_RATE
    try:
        too_often = ratelimit.over_rates(
            [(f"user:{request.user.pk}", rate), (client_network(request), rate)],
            prefix="reader-name",
        )
    except UNREACHABLE:
        # Not counted, Redis not answering (core.cache): nothing is changed, and the profile
        # comes back with the name as typed and why.
        form.add_error("display_name", UNREACHABLE_DETAIL)
        return unreachable_in_place(_profile_page(request, reader, name_form=form))
    if too_often:
        wait = ratelimit.seconds_to_next_window(rate)
        said = "You have tried to change your display name too many times. {Wait}, then try again."
        form.add_error("display_name", ratelimit.say_wait(said, wait))
        response = _profile_page(request, reader, name_form=form, status=429)
        response["Retry-After"] = str(wait)
        return response
    if form.is_valid():
        before = reader.display_name
        try:
            reader_services.reader_name_choose(
                reader=reader, display_name=form.cleaned_data["display_name"]
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            if reader.display_name == before:
                messages.info(request, "That is already your display name: nothing was changed.")
            else:
                messages.success(
                    request,
                    f"Your display name is now “{reader.display_name}”. Your comments show it too.",
                )
            return HttpResponseRedirect(reverse("reader_profile", args=[reader.pk]))
    return _profile_page(request, reader, name_form=form, status=400)


def profile_of_member(request: HttpRequest, user_id: int) -> HttpResponse:
    """The profile of the member who wrote a comment, from the account id the comment carries."""
    reader = reader_selectors.reader_for_user(user_id=user_id)
    if reader is None or not reader.user.is_active:
        raise Http404("No such reader")
    return HttpResponseRedirect(reverse("reader_profile", args=[reader.pk]))


EXPORT_FILENAME = "my-broadsheet-data.json"

# What a guest did is kept under their browser's cookie, not an account (discussion.identity,
# discussion.reactions): the download says so, rather than leaving a reader who recommended as a
# guest and signed up later to wonder where those went.
NOT_INCLUDED = (
    "Comments, recommendations and reports made without signing in are not listed here: they "
    "are kept under a cookie of the browser they were made in, not under your account, so the "
    "site cannot tell they were yours. That browser still shows your comments to you as their "
    "author, with why any was held or removed."
)


@signed_in_to_finish
@require_http_methods(["GET", "POST"])
@reauthentication_required(allow_get=True)
def export(request: HttpRequest) -> HttpResponseBase:
    """Everything held about the signed-in reader, as a JSON download (asked for by POST),
    as often as ``DATA_EXPORT_RATE`` allows the account and the address.

    Like deleting the account, the POST first asks for the password unless it was given in the
    last ``ACCOUNT_REAUTHENTICATION_TIMEOUT`` seconds: the download holds the account's address,
    its history and everything it wrote, which a browser left signed in should not hand over."""
    user = request.user
    # With whether they ignore anyone, so whom is read only then.
    reader = reader_selectors.reader_for_user(user_id=user.pk, with_ignoring=True)
    if request.method == "GET":
        if reader is None:
            raise Http404("No reader profile")
        return _form_not_sent(request, reader, button="Download my data")
    rate = settings.DATA_EXPORT_RATE
    try:
        too_often = ratelimit.over_rates(
            [(f"user:{user.pk}", rate), (client_network(request), rate)], prefix="reader-export"
        )
    except UNREACHABLE:
        # Not counted, Redis not answering (core.cache): nothing is read, and the profile (where
        # the button is) says why, to press it again in a minute.
        said = (
            "The site cannot prepare your data for a moment, and nothing was downloaded. Please "
            "try again in a minute."
        )
        if reader is None:  # no profile to say it on
            response = HttpResponse(said, content_type="text/plain; charset=utf-8")
        else:
            messages.error(request, said)
            response = _profile_page(request, reader)
        return unreachable_in_place(response)
    if too_often:
        # Each download reads all the reader wrote: limited like a write, and refused before
        # anything is read. The profile (where the button is) says when it may be pressed again.
        wait = ratelimit.seconds_to_next_window(rate)
        said = ratelimit.say_wait(
            "You have downloaded your data too many times. Nothing was downloaded; {wait}, then "
            "try again.",
            wait,
        )
        if reader is None:  # no profile to say it on
            response = HttpResponse(said, status=429, content_type="text/plain; charset=utf-8")
        else:
            messages.error(request, said)
            response = _profile_page(request, reader, status=429)
        response["Retry-After"] = str(wait)
        return response
    # The profile's few rows are read before the answer starts, so a database that fails here
    # answers as any page does (core.views.server_error); the member's history is read after it
    # has started, as it is written (_download_fields).
    head = {
        "exported_at": timezone.now().isoformat(),
        "site": settings.SITE_BASE_URL,
        "profile": {
            "display_name": reader.display_name if reader else None,
            "email": user.email,
            # A new address waiting for its confirmation link too (ACCOUNT_CHANGE_EMAIL).
            "email_addresses": reader_selectors.reader_email_addresses(user_id=user.pk),
            "member_since": (reader.created_at if reader else user.date_joined).isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            # The publisher's id for the member, when they came by its sign-on (docs/sso.md).
            "publisher_sign_on_id": reader.sso_subject if reader else None,
            # Kept for moderators (accounts.models.ReaderNameChange), so theirs to see too.
            "display_name_changes": [
                {
                    "from": change.old_name,
                    "to": change.new_name,
                    "changed_at": change.changed_at.isoformat(),
                }
                for change in reader_selectors.reader_names_before(user_ids=[user.pk]).get(
                    user.pk, []
                )
            ],
        },
        # An OpenID Connect provider (allauth's), with the claims it sent.
        "sign_in_providers": reader_selectors.reader_sign_in_providers(user_id=user.pk),
        "notification_settings": {
            "reply_emails": bool(reader and reader.notify_replies),
            "daily_digest": bool(reader and reader.reply_digest),
        },
    }
    # Written out as it is read: a prolific member's years of comments, held whole as rows, then
    # dicts, then one JSON string, took many times their size in an app process's memory.
    #
    # A read that fails half-way (the database gone) ends the stream there: the server cuts the
    # answer off (chunked, without its last chunk, so the browser reports the download failed),
    # and the file has no closing brace, so it is not valid JSON and cannot pass for a whole one
    # (core.json_stream). Nothing is caught to write an ending after it.
    response = StreamingHttpResponse(
        json_stream.object_pieces(_download_fields(user, reader, head)),
        content_type="application/json",
    )
    response["Content-Disposition"] = f'attachment; filename="{EXPORT_FILENAME}"'
    return response


def _download_fields(user, reader: Reader | None, head: dict) -> Iterator[tuple[str, object]]:
    """The download's sections in order, each read when its turn to be written comes: comments
    and recommendations a page at a time (accounts.data_exports.PAGE_SIZE), as are moderation's
    sections that grow with the member's history.

    The pieces after the first 256 KB are written on whichever of the app's threads is
    free (core.django_threads), each thread with its own database connection: so each page is a
    query of its own, in autocommit, from the last id seen. No transaction or server-side cursor
    is held from one piece to the next (it would be another thread's connection's), and the
    pages are not one snapshot: a comment written during the download may or may not be in it,
    and none that was there throughout is missed or listed twice (the pages go by id)."""
    yield from head.items()
    base = settings.SITE_BASE_URL
    yield (
        "comments",
        (
            {**item, "url": f"{base}/c/{item['id']}/"}
            for item in selectors.comments_for_export(user_id=user.pk)
        ),
    )
    # The members whose comments they chose to see collapsed ("Ignore").
    yield (
        "ignoring",
        [
            {"display_name": line["display_name"], "since": line["since"].isoformat()}
            for line in (
                reader_selectors.members_ignored(user_id=user.pk)
                if reader is not None and reader.ignores_members
                else ()
            )
        ],
    )
    # The comments they recommended while signed in (a guest's are kept under their browser's
    # cookie, not the account).
    yield (
        "reactions",
        (
            {**item, "comment_url": f"{base}/c/{item['comment_id']}/"}
            for item in selectors.reactions_for_export(
                reader_key=reader_key_for(user_id=user.pk, guest_key="")
            )
        ),
    )
    # Said, not added: a browser's guest cookie may be another reader's (a shared computer).
    yield "not_included", NOT_INCLUDED
    # What other apps hold of the reader's (moderation: their reports and appeals).
    yield from data_exports.collect(user_id=user.pk).items()


def _export_reauthentication_context(request: HttpRequest) -> dict:
    """What the password page asked for before a download says (accounts.views): the answer to
    Confirm is the file, and the browser stays on that page, so it says so and links back."""
    return {
        "reauthentication_note": (
            f"Your data then downloads as a file ({EXPORT_FILENAME}), and this page stays as it is."
        ),
        "reauthentication_back": {
            "url": reverse("reader_profile_of_member", args=[request.user.pk]),
            "label": "Back to your profile",
        },
    }


export.reauthentication_context = _export_reauthentication_context


@signed_in_to_finish
@require_http_methods(["GET", "POST"])
@reauthentication_required(allow_get=True)
def delete(request: HttpRequest) -> HttpResponse:
    """GET asks for confirmation; the POST deletes the account and handles its comments.

    The POST first asks for the member's password, unless they gave it in the last
    ``ACCOUNT_REAUTHENTICATION_TIMEOUT`` seconds (allauth's reauthentication: a signed-in
    browser alone must not be enough to delete an account). allauth keeps what was sent (the
    ticked box) while it asks, and sends it on here once the password is given."""
    mode = settings.DELETED_ACCOUNT_COMMENTS
    if request.method == "GET":
        if session_ended(request.get_full_path()):
            # Signing in again sends here a reader whose session had ended as they pressed
            # Delete: the page asks again, and says their press did nothing.
            messages.info(request, "Nothing was deleted. Press “Delete my account” again.")
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
    # The front page reversed, so a site under a path prefix keeps the reader under it.
    return HttpResponseRedirect(f"{reverse('wagtail_serve', args=[''])}?account=deleted")


def _account_deleted_message(mode: str) -> str:
    comments = (
        "Your comments stay, shown under “Deleted account”."
        if mode == "keep"
        else "Your comments have been removed."
    )
    return f"Your account was deleted, and you are signed out. {comments}"
