"""Signing in again to finish something pressed after the reader's session had ended.

A signed-in-only form (a comment's "Mute reply emails", the profile's email choice, display
name and "Download my data", "Delete my account") pressed by a reader whose session has ended
sends them to sign in, and from there back to the form's address, whose GET says that nothing
was sent. The address
given as ``next`` carries a marker, so the sign-in page can say why it is asked for; ``next``
rides along with the form, so the line stays after a mistyped password. The masthead's "Sign in"
link carries no marker, so an ordinary sign-in says nothing of the kind.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import parse_qs, urlencode, urlsplit

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

_MARK = {"session": "ended"}


def session_ended(next_url: str | None) -> bool:
    """Whether ``next`` was marked by :func:`sign_in_to_finish`."""
    if not next_url:
        return False
    said = parse_qs(urlsplit(next_url).query)
    return all(value in said.get(name, ()) for name, value in _MARK.items())


def sign_in_to_finish(request: HttpRequest) -> HttpResponse:
    """The sign-in page, leading back to this request's address marked as reached this way."""
    path = request.get_full_path()
    if not session_ended(path):
        path += ("&" if "?" in path else "?") + urlencode(_MARK)
    return redirect_to_login(path)


def signed_in_to_finish(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """``login_required`` for a signed-in-only form: a signed-out reader is sent by
    :func:`sign_in_to_finish`."""

    @wraps(view)
    def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return sign_in_to_finish(request)
        return view(request, *args, **kwargs)

    return checked


def unsent_session_ended(
    request: HttpRequest, *, text: str, unsent: str, form_named: str
) -> HttpResponse:
    """A member's form with words in it sent after their session had ended: a 403 saying so
    (``unsent``: "Your appeal was not sent"), the words this request sent to copy, and the way
    to sign in again, which leads back to the form (``form_named``: "the appeal form"). Nothing
    else of what the form was for is shown: only what the request itself sent."""
    context = {
        "text": text,
        "unsent": unsent,
        "form_named": form_named,
        "sign_in_url": sign_in_to_finish(request)["Location"],
    }
    return render(request, "accounts/unsent_session_ended.html", context, status=403)
