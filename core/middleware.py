"""Compression of the answers Django sends itself (``core.pagecache`` compresses those it
keeps), and the answer to a write that could not be counted because Redis did not answer."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware

from core import pagecache
from core.cache import UNREACHABLE

# What gains from gzip. Images, fonts and archives are compressed already; a live stream
# (text/event-stream) would sit in the compressor until more events arrived.
_COMPRESSIBLE = frozenset(
    {
        "text/html",
        "text/plain",
        "text/css",
        "text/csv",
        "text/javascript",
        "application/javascript",
        "application/json",
        "application/ld+json",
        "application/xml",
        "application/rss+xml",
        "application/atom+xml",
        "image/svg+xml",
    }
)


class CompressedAnswers(GZipMiddleware):
    """Django's gzip, with its BREACH padding, for the text answers drawn for one reader: a
    signed-in reader's article page (350 KB for the 10,000-comment thread), the admin, feeds.

    An answer the page cache layer is to keep (it carries the layer's dependency header) is left
    as drawn: the layer needs its bytes to fill in each reader's values, and compresses it once
    itself.
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        content_type = response.get("Content-Type", "").partition(";")[0].strip().lower()
        if content_type not in _COMPRESSIBLE or pagecache.DEPS_HEADER in response:
            return response
        return super().process_response(request, response)


RETRY_AFTER_SECONDS = 30
UNREACHABLE_DETAIL = (
    "The site cannot take changes for a moment, and nothing was changed. Please try again in a "
    "minute."
)


# Said by a write's own answer refused for that reason (unreachable_in_place), so that the site's
# script puts it in place of what was sent, as it does a 422 or 429 (core/static/core/site.js);
# any other 503 (the site's whole "Try again" page, a proxy's) is not swapped in for a form.
IN_PLACE_HEADER = "X-Refused"
IN_PLACE_VALUE = "unreachable"


def unreachable_in_place(response: HttpResponseBase) -> HttpResponseBase:
    """``response``, a write's own form or control drawn again with why it was refused (the
    rate limits could not be counted: Redis did not answer, core.cache), made the answer for
    that: 503, with when to try again, and marked for the site's script to put in place."""
    response.status_code = 503
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response[IN_PLACE_HEADER] = IN_PLACE_VALUE
    return response


class UnreachableCacheAnswers:
    """A request the rate limits could not count, because Redis did not answer (core.cache), is
    refused with a 503 and a Retry-After instead of failing as a 500 (the API's own middleware
    makes it JSON under its address). The counting comes before any change, so nothing was
    changed; reading goes on meanwhile. A form's typed text is handed back on the page."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not isinstance(exception, UNREACHABLE):
            return None
        from core.views import unavailable

        return unavailable(request, UNREACHABLE_DETAIL)
