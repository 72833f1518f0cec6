"""The password form of a private page (a Wagtail view restriction with a password), limited.

Wagtail's view (``wagtail.views.authenticate_with_password``) takes any number of guesses, and a
shared page password is usually short. This view stands in front of it, at the same address:
each password sent counts against the sender's address (an IPv6 /64, behind the trusted proxies:
``core.client``), as a comment does, and once over ``PAGE_PASSWORD_RATE`` the form comes back
with a 429, the password typed unread, right or wrong. Under the limit Wagtail's own view
answers, unchanged. While the count cannot be taken (Redis not answering: core.cache), the form
comes back the same way, as a 503 saying so. A private collection's documents have a form of
their own (``wagtail.documents.views.serve.authenticate_with_password``), limited the same way,
with the same count: a guesser gains nothing by moving from one form to the other.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from wagtail import views as wagtail_views
from wagtail.documents.views import serve as document_views
from wagtail.forms import PasswordViewRestrictionForm
from wagtail.models import CollectionViewRestriction, Page, PageViewRestriction

from core import ratelimit
from core.cache import UNREACHABLE
from core.client import client_network
from core.middleware import unreachable_in_place

# Its {Wait} said from the refusal's Retry-After (core.ratelimit.say_wait).
TOO_MANY_TRIES = "Too many passwords have been tried from your address. {Wait}, then try again."
NOT_NOW = (
    "The site cannot check passwords for a moment, and yours was not tried. Please try again in "
    "a minute."
)


class _TryNotRead(PasswordViewRestrictionForm):
    """Wagtail's password form for a try that is refused unread: whatever was typed, the
    password's error is the refusal (``refusal``), shown where a wrong password's would be."""

    def __init__(self, *args, refusal: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].required = False
        self.refusal = refusal

    def clean_password(self) -> str:
        raise forms.ValidationError(self.refusal)


def _over_rate(request: HttpRequest) -> bool:
    """A password sent that is over the address's allowance; each one counts (the page's and the
    documents' forms alike)."""
    return ratelimit.over_rates(
        [(client_network(request), settings.PAGE_PASSWORD_RATE)], prefix="page-password"
    )


def authenticate_with_password(
    request: HttpRequest, page_view_restriction_id: int, page_id: int
) -> HttpResponse:
    if request.method != "POST":
        return wagtail_views.authenticate_with_password(request, page_view_restriction_id, page_id)
    try:
        over = _over_rate(request)
    except UNREACHABLE:
        refused = _not_read(request, page_view_restriction_id, page_id, refusal=NOT_NOW)
        return unreachable_in_place(refused)
    if not over:
        return wagtail_views.authenticate_with_password(request, page_view_restriction_id, page_id)
    wait = ratelimit.seconds_to_next_window(settings.PAGE_PASSWORD_RATE)
    refusal = ratelimit.say_wait(TOO_MANY_TRIES, wait)
    response = _not_read(request, page_view_restriction_id, page_id, refusal=refusal)
    response.status_code = 429
    response["Retry-After"] = str(wait)
    return response


def _not_read(
    request: HttpRequest, page_view_restriction_id: int, page_id: int, *, refusal: str
) -> HttpResponse:
    """The page's password form again, the password typed not tried, and ``refusal`` by it."""
    restriction = get_object_or_404(PageViewRestriction, id=page_view_restriction_id)
    page = get_object_or_404(Page, id=page_id).specific
    form = _TryNotRead(request.POST, instance=restriction, refusal=refusal)
    form.is_valid()  # fills in the refusal; the password typed is never compared
    action_url = reverse("wagtailcore_authenticate_with_password", args=[restriction.id, page.id])
    return page.serve_password_required_response(request, form, action_url)


def authenticate_document_with_password(request: HttpRequest, restriction_id: int) -> HttpResponse:
    """A private collection's password form, for its documents: Wagtail's, in front of which
    each password sent counts as on a page's form (and is refused unread, as a 503, while the
    count cannot be taken)."""
    if request.method != "POST":
        return document_views.authenticate_with_password(request, restriction_id)
    try:
        over = _over_rate(request)
    except UNREACHABLE:
        return unreachable_in_place(_document_not_read(request, restriction_id, refusal=NOT_NOW))
    if not over:
        return document_views.authenticate_with_password(request, restriction_id)
    wait = ratelimit.seconds_to_next_window(settings.PAGE_PASSWORD_RATE)
    response = _document_not_read(
        request, restriction_id, refusal=ratelimit.say_wait(TOO_MANY_TRIES, wait)
    )
    response.status_code = 429
    response["Retry-After"] = str(wait)
    return response


def _document_not_read(request: HttpRequest, restriction_id: int, *, refusal: str) -> HttpResponse:
    """The documents' password form again, the password typed not tried, and ``refusal`` by it."""
    restriction = get_object_or_404(CollectionViewRestriction, id=restriction_id)
    form = _TryNotRead(request.POST, instance=restriction, refusal=refusal)
    form.is_valid()  # fills in the refusal; the password typed is never compared
    action_url = reverse("wagtaildocs_authenticate_with_password", args=[restriction.id])
    template = getattr(
        settings, "WAGTAILDOCS_PASSWORD_REQUIRED_TEMPLATE", "wagtaildocs/password_required.html"
    )
    return TemplateResponse(request, template, {"form": form, "action_url": action_url})
