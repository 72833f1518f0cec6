"""Who is asking: the client's address and the signed guest cookie, read the same way everywhere.

``X-Forwarded-For`` is only believed when the connection comes from a proxy the operator listed in
``TRUSTED_PROXIES``; otherwise any client could claim any address and walk past rate limits.
"""

from __future__ import annotations

import ipaddress
import secrets
import string
from urllib.parse import quote, unquote

from django.conf import settings
from django.http import HttpRequest, HttpResponse

GUEST_COOKIE = "broadsheet_guest"
_GUEST_SALT = "broadsheet.guest"
_GUEST_MAX_AGE = 60 * 60 * 24 * 365
GUEST_NAME_COOKIE = "broadsheet_guest_name"
_GUEST_NAME_SALT = "broadsheet.guest-name"
GUEST_NAME_LENGTH = 100  # discussion.Comment.author_name's
GUEST_EMAIL_COOKIE = "broadsheet_guest_email"
_GUEST_EMAIL_SALT = "broadsheet.guest-email"
GUEST_EMAIL_LENGTH = 254  # discussion.Comment.author_email's


# A cookie's value goes out in a Set-Cookie header, which HTTP (and so the ASGI and WSGI servers)
# carries as Latin-1: Django writes a value's other characters into the header as they are, and
# the server then failed the whole answer. A guest who signed "Олена Коваль" (or gave an address at
# a domain in Cyrillic) had their comment saved and was told, with a 500, that nothing had changed;
# every retry said so again. So a reader's own text is kept in its cookie percent-encoded (as
# UTF-8): "%" and everything outside printable ASCII, the rest as it was, so a cookie written
# before reads the same (but for a "%" followed by two hex digits, which now reads as the
# character it spells: a prefilled form field, nothing more).
_COOKIE_TEXT_SAFE = (
    "".join(char for char in string.printable if char not in "%" + string.whitespace) + " "
)


def _cookie_text(text: str) -> str:
    return quote(text, safe=_COOKIE_TEXT_SAFE)


def _text_from_cookie(value: str | None) -> str:
    return unquote(value or "")


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    # Networks parsed once, when the settings load (core.envsettings.parse_networks), where an
    # entry that is not one stops start-up.
    return any(ip in network for network in settings.TRUSTED_PROXIES)


def client_ip(request: HttpRequest) -> str:
    """The first address, reading ``X-Forwarded-For`` right to left, that is not a trusted proxy."""
    remote = request.META.get("REMOTE_ADDR", "")
    if not settings.TRUSTED_PROXIES or not _trusted(remote):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        if not _trusted(hop):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote  # a garbled header: fall back to the proxy's own address
    return remote


def client_network(request: HttpRequest) -> str:
    """Where the client is, for limits per place: its IPv4 address, or its IPv6 /64.

    One IPv6 customer usually holds a whole /64 and can pick any address in it, so a limit per
    IPv6 address would be a limit per request.
    """
    return network_of(client_ip(request))


def network_of(address: str) -> str:
    """The network an address is in, as :func:`client_network` counts places: the IPv4 address
    itself, or its IPv6 /64 (anything else as it is)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def guest_key(request: HttpRequest) -> str:
    """The value of the reader's signed guest cookie, or "" (a forged cookie reads as none).

    Checked once per request: a comment's post asked three times, and each check is an HMAC.
    """
    try:
        return request._broadsheet_guest_key
    except AttributeError:
        key = request.get_signed_cookie(GUEST_COOKIE, default="", salt=_GUEST_SALT) or ""
        request._broadsheet_guest_key = key
        return key


def guest_key_ensure(request: HttpRequest, response: HttpResponse, *, key: str = "") -> str:
    """The reader's guest key, setting a signed cookie on ``response`` if they had none.

    ``key`` is the one to give a reader without a cookie (made up when empty).
    """
    if not guest_key(request):
        key = key or secrets.token_urlsafe(16)
        response.set_signed_cookie(
            GUEST_COOKIE,
            key,
            salt=_GUEST_SALT,
            max_age=_GUEST_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
            path=settings.SESSION_COOKIE_PATH,
        )
        return key
    return guest_key(request)


def guest_name(request: HttpRequest) -> str:
    """The display name this browser's guest last commented under, or "" (signed, so no other
    site can put words in the comment form)."""
    name = request.get_signed_cookie(GUEST_NAME_COOKIE, default="", salt=_GUEST_NAME_SALT)
    return _text_from_cookie(name)[:GUEST_NAME_LENGTH]


def guest_name_remember(request: HttpRequest, response: HttpResponse, name: str) -> None:
    """Keep ``name`` for the guest's next comment form, on this browser only."""
    name = name.strip()[:GUEST_NAME_LENGTH]
    if not name or name == guest_name(request):
        return
    response.set_signed_cookie(
        GUEST_NAME_COOKIE,
        _cookie_text(name),
        salt=_GUEST_NAME_SALT,
        max_age=_GUEST_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        path=settings.SESSION_COOKIE_PATH,
    )


def guest_email(request: HttpRequest) -> str:
    """The email address this browser's guest gave with their last comment in this browsing
    session, or "" (signed, as the name is)."""
    email = request.get_signed_cookie(GUEST_EMAIL_COOKIE, default="", salt=_GUEST_EMAIL_SALT)
    return _text_from_cookie(email)[:GUEST_EMAIL_LENGTH]


def guest_email_remember(request: HttpRequest, response: HttpResponse, email: str) -> None:
    """Offer ``email`` again in the guest's next comment form (WCAG 3.3.7, Redundant Entry), on
    this browser only and only until it is closed: a cookie without an expiry, never written to
    disk for a year as the name is, since an address is more private than a name shown with
    every comment. A comment sent without one forgets the last, so a guest who cleared the box
    is not given it back."""
    email = email.strip()[:GUEST_EMAIL_LENGTH]
    if email == guest_email(request):
        return
    if not email:
        response.delete_cookie(
            GUEST_EMAIL_COOKIE, path=settings.SESSION_COOKIE_PATH, samesite="Lax"
        )
        return
    response.set_signed_cookie(
        GUEST_EMAIL_COOKIE,
        _cookie_text(email),
        salt=_GUEST_EMAIL_SALT,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        path=settings.SESSION_COOKIE_PATH,
    )
