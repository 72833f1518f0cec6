"""The site's public addresses, made from SITE_BASE_URL, the same in a request and outside one.

A site served under a path prefix (docs/deploy.md, "Under a path prefix") has SITE_BASE_URL end
in it (https://example.org/news). Django's ``reverse()`` and Wagtail's ``page.url`` carry the
script prefix: a request's SCRIPT_NAME, or in a process that answers none (the task worker, a
management command) FORCE_SCRIPT_NAME, which settings.py makes SITE_BASE_URL's path; a thread
that has answered no request has none, and gives the path without it.
Every address handed to another machine (feeds, sitemaps, ninjs, structured data,
emails) is made here: the script prefix, if any, is taken off the path, and SITE_BASE_URL's
put on, so the prefix appears once, however the path was made.

Start-up has written SITE_BASE_URL in ASCII (its host in IDNA's form:
core.envsettings.parse_site_base_url); letters outside ASCII in a path are percent-encoded
(escapes already there are kept), so each address is a valid URI wherever it goes: an XML feed
or sitemap, JSON, an HTTP header, an email.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import get_script_prefix
from django.utils.encoding import iri_to_uri


def _within_the_site(path: str) -> str:
    """``path`` without the request's prefix or a leading "/", as a URI's characters."""
    prefix = get_script_prefix()
    if prefix != "/" and path.startswith(prefix):
        path = path[len(prefix) :]
    return iri_to_uri(path.lstrip("/"))


def site_path(path: str) -> str:
    """``path`` (from ``reverse()`` or ``page.url``, in a request or outside one) as the site
    serves it: under SITE_BASE_URL's path prefix, once, starting with "/"."""
    return f"{urlsplit(settings.SITE_BASE_URL).path}/{_within_the_site(path)}"


def site_url(path: str) -> str:
    """``path`` made absolute against SITE_BASE_URL (see :func:`site_path`); an address that
    is already absolute is returned as it is."""
    if path.startswith(("http://", "https://")):
        return path
    return f"{settings.SITE_BASE_URL}/{_within_the_site(path)}"
