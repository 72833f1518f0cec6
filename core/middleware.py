"""Compression of the answers Django sends itself (``core.pagecache`` compresses those it keeps)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware

from core import pagecache

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
