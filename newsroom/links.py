"""Absolute addresses for everything the newsroom publishes to other machines.

Feeds, sitemaps, structured data, social cards and ninjs are read away from the site, so every
link in them is absolute. They are built from SITE_BASE_URL, not from the request's Host header,
so that a crawler reaching the site by another name still gets the canonical address. Start-up
has written SITE_BASE_URL in ASCII (an internationalised domain name in IDNA's form), so the
addresses are valid URIs for every reader of them.

A site served under a path prefix (https://example.org/news/) has SITE_BASE_URL end in it; the
prefix appears once in every address, whether it is built in a request (whose reversed URLs
carry the prefix) or outside one (a management command, a task): core.site_urls.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone

from core.site_urls import site_url

LOGO_PATH = "newsroom/logo.png"
LOGO_SIZE = (600, 60)


def absolute(path: str) -> str:
    """``path`` made absolute against SITE_BASE_URL, its prefix once; already absolute URLs
    pass through (core.site_urls.site_url)."""
    return site_url(path)


# A link's address in rich text as Wagtail renders it (``expand_db_html``: a page's or a
# document's path, or what an editor typed), when it is a path on this site: "/x", not "//host".
_SITE_PATH_HREF = re.compile(r'(<a\b[^>]*?\shref=")(/(?!/)[^"]*)"')


def absolute_links(html: str) -> str:
    """``html`` with each link to a path on the site made absolute (``absolute``), for a body
    read away from the site (ninjs): "/world/talks/" led nowhere in a partner's system."""
    return _SITE_PATH_HREF.sub(lambda found: f'{found[1]}{absolute(found[2])}"', html)


def feed_id(page) -> str:
    """An article's id in the feeds (RSS ``guid``, Atom ``id``): a tag URI (RFC 4151) of the
    site's host, the day it was first published and its page id, which stays when its address
    changes (a slug renamed, a move to another section), as an Atom entry's id must (RFC 4287,
    4.2.6); the address as id made a feed reader show a renamed story again as new."""
    host = urlsplit(settings.SITE_BASE_URL).hostname or "localhost"
    first = page.first_published_at or page.latest_revision_created_at or timezone.now()
    # The day in UTC, so a change of the newsroom's TIME_ZONE changes no id.
    return f"tag:{host},{first.astimezone(UTC).date().isoformat()}:article-{page.pk}"


def page_url(page) -> str:
    return absolute(page.url or "/")


def logo_url() -> str:
    return absolute(static(LOGO_PATH))


def author_url(author) -> str:
    """An author's public page, which lists their latest articles and links their feeds."""
    return absolute(reverse("newsroom:author", kwargs={"slug": author.slug}))


def ninjs_url(page) -> str:
    return absolute(reverse("newsroom:ninjs_article", kwargs={"article_id": page.pk}))


def comments_feed_url(page) -> str:
    return absolute(reverse("newsroom:comments_feed", kwargs={"article_id": page.pk}))


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in the newsroom's time zone, with its offset (e.g. 2022-03-29T18:40:00+01:00)."""
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat()
