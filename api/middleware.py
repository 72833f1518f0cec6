"""The read API may be read from any site's pages, in the reader's browser (CORS).

Every answer under ``/api/v1/`` says ``Access-Control-Allow-Origin: *``: a partner site's script
can show a thread's comments or its comment counts. The API only reads public data and ignores
cookies, so it never allows credentials: a page elsewhere learns nothing it could not fetch
itself.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.base import BaseHandler
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.middleware.common import CommonMiddleware
from wagtail.contrib.redirects.middleware import RedirectMiddleware

from core.middleware import UNREACHABLE_DETAIL

PREFIX = "/api/v1/"
# /api with no version, every address under it outside PREFIX, and PREFIX without its slash:
# api.unknown answers them, in JSON as the API answers, so they are the API's addresses too.
NO_VERSION = "/api"

# The site's middleware that the read API has no use for: it reads no session, signed-in user or
# flash message, serves no static file, follows no editor's redirect and routes to no Wagtail page.
# Every other entry of ``MIDDLEWARE`` (security headers, compression, CORS, JSON refusals, CSRF,
# framing) runs for the API as for the rest of the site, so one added there later does too.
NOT_FOR_THE_API = frozenset(
    {
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "allauth.account.middleware.AccountMiddleware",
        "api.middleware.RedirectsOutsideTheApi",
        "newsroom.routing.PreRouteMiddleware",
    }
)


class ReadApiChain:
    """Sends a read (GET, HEAD, OPTIONS) under ``/api/v1/`` down a chain of its own: the site's
    middleware less ``NOT_FOR_THE_API``, then the view. First in ``MIDDLEWARE``, so the rest of
    the site's chain never sees the API's reads (a write is a reader's, and takes the site's).

    The seven left out cost an uncached API page an eighth of its CPU (0.88 against 0.76 ms in
    process; docs/bench-history.md), though none of them did anything for it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.site = get_response
        self.api = _api_chain()

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        # A write (posting a comment) is a reader's: it takes the site's chain, with the
        # session and sign-in that say who the reader is.
        if request.path_info.startswith(PREFIX) and request.method in _READS:
            if request.method == "HEAD":
                return self._head(request)
            return self.api(request)
        return self.site(request)

    def _head(self, request: HttpRequest) -> HttpResponseBase:
        """A HEAD is answered as the GET would be, headers and all, without the body (RFC 9110,
        9.3.2): django-ninja routes each operation by its declared methods, and the reads are
        declared ``GET``, so a HEAD (a link checker, an uptime monitor) was a 405. Done here,
        once for every read, rather than by declaring HEAD on each operation, which would also
        list it in the OpenAPI document as an operation of its own."""
        request.method = "GET"
        try:
            response = self.api(request)
        finally:
            request.method = "HEAD"
        if not response.streaming:
            # Content-Length, set nearer the view, stays the length the GET's body has.
            response.content = b""
        return response


_READS = frozenset({"GET", "HEAD", "OPTIONS"})


def _api_chain() -> Callable[[HttpRequest], HttpResponseBase]:
    """Django's own chain building (``BaseHandler.load_middleware``) over the API's entries of
    ``MIDDLEWARE``: their view, exception and template-response hooks included."""
    handler = BaseHandler()
    site = settings.MIDDLEWARE
    settings.MIDDLEWARE = [
        path
        for path in site
        if path not in NOT_FOR_THE_API and path != f"{__name__}.{ReadApiChain.__name__}"
    ]
    try:
        handler.load_middleware()
    finally:
        settings.MIDDLEWARE = site
    return handler._middleware_chain


class OpenToOtherSites:
    """The CORS headers of the reads, and the answer to their preflight.

    A partner's script that sends a header of its own (an ``If-None-Match`` when it polls) makes
    the browser ask first with an ``OPTIONS`` preflight; it is answered here for a read (GET or
    HEAD) with the headers the API reads. A preflight for any other method (a POST from another
    site's page) is not: it goes on to the view, which refuses it with no CORS header, so the
    browser never sends the request. The answers expose their ``ETag`` to the script.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        # The API's every address: the redirect of /api/v1 to /api/v1/ and the 404 of /api
        # without a version included, so a partner's script can read where they send it.
        under_api = _under_the_api(request.path)
        if under_api and _is_read_preflight(request):
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Allow-Methods"] = "GET, HEAD"
            response["Access-Control-Allow-Headers"] = _PREFLIGHT_HEADERS
            response["Access-Control-Max-Age"] = str(_PREFLIGHT_MAX_AGE)
            return response
        response = self.get_response(request)
        if under_api and request.method in ("GET", "HEAD"):
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Expose-Headers"] = "ETag"
        return response


# What a partner's script may send to a read beyond the CORS-safelisted headers: the
# conditional headers the page cache answers with a 304.
_PREFLIGHT_HEADERS = "If-None-Match, If-Modified-Since"
_PREFLIGHT_MAX_AGE = 86400  # browsers cap it lower (Chromium: two hours)


def _is_read_preflight(request: HttpRequest) -> bool:
    return request.method == "OPTIONS" and request.headers.get("Access-Control-Request-Method") in (
        "GET",
        "HEAD",
    )


class SlashesOutsideTheApi(CommonMiddleware):
    """Django's ``CommonMiddleware``, but an address under ``/api/v1/`` is never redirected to the
    same address with a slash (``APPEND_SLASH``): the API's addresses end without one, so the
    redirect only ever led a client to the JSON 404 by way of an HTML 301."""

    def should_redirect_with_slash(self, request: HttpRequest) -> bool:
        if request.path_info.startswith(PREFIX):
            return False
        return super().should_redirect_with_slash(request)


class RedirectsOutsideTheApi(RedirectMiddleware):
    """Wagtail's redirects (an editor's "old address to new"), looked up for a page address that
    found nothing, but never for one under ``/api/v1/``: the API's 404 is its answer ("no such
    article"), and the lookup (the site, then the address with and without its query string)
    was four queries and five milliseconds on every one, five times the API's own page.

    The site is the one routing reads from its kept list (newsroom.routing), as Wagtail's
    page view has it, not a query of its own.
    """

    def process_response(self, request: HttpRequest, response: HttpResponseBase):
        if response.status_code != 404 or request.path_info.startswith(PREFIX):
            return response
        if not hasattr(request, "_wagtail_site"):
            from newsroom.routing import site_for_request  # loads models: not at import time

            found = site_for_request(request)
            request._wagtail_site = found[0] if found else None
        return super().process_response(request, response)


class JsonRefusals:
    """Under ``/api/v1/``, a 400, 403, 404, 405 or 503 that the API's own views did not answer (a
    body Django could not read, a Host header it refused, a form posted to it, an address it
    does not have, a method it does not take, a write that could not be counted while Redis did
    not answer) is JSON with a ``detail`` sentence too, as every other refusal is (docs/api.md);
    Django would otherwise answer with an HTML page."""

    _DETAILS = {
        # Django's own refusal to read a request (RequestDataTooBig and its kin, which it
        # raises when a middleware reads the body): the view never ran.
        400: "Bad request: the request could not be read (its body is over the size this site "
        "reads, has too many fields, or is a form in a charset other than UTF-8).",
        # A POST to an address under the API that only Wagtail's catch-all page view takes:
        # the CSRF check refuses it before anything else looks.
        403: "Refused: a request that changes something needs the CSRF token (the csrftoken "
        "cookie's value in an X-CSRFToken header), and this address takes no forms.",
        404: "No such address in this API; see /api/v1/openapi.json for the ones there are.",
        405: "Method not allowed here; the Allow header says which are.",
        # core.middleware.UnreachableCacheAnswers: Redis did not answer, so a write that the
        # rate limits count was refused before it changed anything.
        503: UNREACHABLE_DETAIL,
    }

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        detail = self._DETAILS.get(response.status_code)
        if response.status_code == 400 and not _host_allowed(request):
            detail = _NOT_THIS_HOST
        if response.status_code == 404 and request.path.startswith(_NINJS):
            # newsroom's ninjs view is plain Django, not in the OpenAPI document: the address's
            # shape is right, and there is no live, public article with its id.
            detail = _NO_NINJS
        if (
            detail is None
            or not _under_the_api(request.path)
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        refusal = JsonResponse({"detail": detail}, status=response.status_code)
        # The answer's other headers stay (Allow, and the security headers middleware nearer the
        # view set, X-Frame-Options among them); only those about the HTML body are replaced.
        for name, value in response.items():
            if name.lower() not in _BODY_HEADERS:
                refusal[name] = value
        return refusal


def _under_the_api(path: str) -> bool:
    """``/api/v1/`` and everything under it, ``/api/v1`` without its slash, and ``/api`` with no
    version or another one: every address whose answer is the API's (api.unknown)."""
    return path == NO_VERSION or path.startswith(f"{NO_VERSION}/")


def _host_allowed(request: HttpRequest) -> bool:
    try:
        request.get_host()
    except DisallowedHost:
        return False
    return True


_NOT_THIS_HOST = (
    "Bad request: this site does not answer to the Host header sent (ALLOWED_HOSTS); ask by "
    "the site's own address."
)
_NINJS = f"{PREFIX}ninjs/"
_NO_NINJS = (
    "No live, public article has this id; a ninjs document's address is "
    "/api/v1/ninjs/articles/<id>.json (docs/formats.md)."
)
_BODY_HEADERS = frozenset({"content-type", "content-length", "content-encoding"})
