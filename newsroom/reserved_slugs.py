"""Slugs a page may not take where its address would be answered by one of the site's own views.

``broadsheet/urls.py`` matches its fixed addresses (the API, the admin, the embed, feeds, search
and the rest) before Wagtail's page view, so a page at ``/api/`` or ``/feeds/`` would publish
but never be seen: the fixed address answers instead. The fixed addresses are read from the URL
conf itself, every pattern ahead of ``include(wagtail.urls)``, includes followed, so a prefix
added there is refused here with no list to keep in step.

A page's address is taken relative to each site whose root page is above it (its slug collides
only at the level just below a site's root, unless a fixed address has several literal parts).
It collides when:

- its segments are the leading literal segments of a fixed address (``feeds`` of
  ``feeds/rss/``): the page itself, or the pages beneath it, would be hidden; or
- its whole address resolves to a view other than Wagtail's (``c/5/``, a comment's permalink).

``reserved_slug_problem`` answers for one slug under one parent (every write of a page, through
``newsroom.page_addresses``, and the admin's forms, which say it in place); ``pages_hidden_below``
for every page below a page that is to become a site's root (the Site form,
``newsroom.site_settings``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from wagtail.models import Page, Site

# What readers and staff know each fixed prefix as, for the editor's error. A prefix not named
# here (a new one in broadsheet/urls.py) is still refused, with its address as the reason.
_USED_BY = {
    "api": "the site's API",
    "admin": "the Wagtail admin",
    "documents": "the admin's document downloads",
    "discussion": "the comment forms",
    "moderation": "moderation and appeals",
    "transparency": "the transparency report",
    "accounts": "readers' sign-in and accounts",
    "readers": "readers' profiles",
    "c": "comment links",
    "embed": "the comments embedded in other sites",
    "feed": "the site's feed",
    "feeds": "the site's feeds",
    "authors": "author pages",
    "search": "the site's search",
    "live": "the live blogs' updates",
    "media": "uploaded images",
    "_util": "Wagtail's sign-in and password forms",
}

_REGEX_META = re.compile(r"[\\.^$*+?{}\[\]|()]")


@dataclass(frozen=True)
class FixedAddress:
    """The literal leading segments of one fixed URL pattern, e.g. ``("feeds", "rss")``."""

    segments: tuple[str, ...]


def _literal_prefix(pattern) -> tuple[str, bool]:
    """The literal text a pattern starts with, up to its first converter or regex group, and
    whether that is the whole pattern."""
    text = str(pattern.pattern)
    if hasattr(pattern.pattern, "_route"):  # path(): literal up to the first <converter>
        literal = text.split("<", 1)[0]
        return literal, literal == text
    text = text.removeprefix("^").removesuffix("$")  # re_path(): up to the first metacharacter
    meta = _REGEX_META.search(text)
    return (text[: meta.start()], False) if meta else (text, True)


def _segments(literal: str, *, whole: bool) -> tuple[str, ...]:
    """The whole segments of a literal prefix. Where a converter follows, the text after the
    last slash (``articles/<id>.json``'s ``articles/``, or ``x-<slug>``'s ``x-``) is only part
    of a segment, so a slug could still differ: it is left off."""
    parts = literal.split("/")
    if not whole:
        parts = parts[:-1]
    return tuple(part for part in parts if part)


def _walk(patterns, prefix: str = "") -> list[FixedAddress]:
    """The fixed addresses among ``patterns``, up to Wagtail's own include."""
    from wagtail import urls as wagtail_urls  # not at import: newsroom.models imports this

    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver) and pattern.urlconf_module is wagtail_urls:
            break  # Wagtail's pages from here on
        literal, whole = _literal_prefix(pattern)
        if isinstance(pattern, URLResolver) and not _segments(prefix + literal, whole=whole):
            found += _walk(pattern.url_patterns, prefix + literal)  # include() at the root
            continue
        segments = _segments(prefix + literal, whole=whole and not isinstance(pattern, URLResolver))
        if segments:
            found.append(FixedAddress(segments))
    return found


def fixed_addresses() -> list[FixedAddress]:
    """Every fixed address matched ahead of Wagtail's pages, from the URL conf in use."""
    return _walk(get_resolver().url_patterns)


def _used_by(segment: str) -> str:
    return _USED_BY.get(segment, f"one of the site's own addresses (/{segment}/)")


def _page_segments(*, slug: str, parent: Page, root: Page) -> tuple[str, ...]:
    relative = parent.url_path[len(root.url_path) :]
    return (*[part for part in relative.split("/") if part], slug)


def _answered_elsewhere(segments: tuple[str, ...]) -> bool:
    from wagtail import views as wagtail_views  # not at import: newsroom.models imports this

    try:
        match = resolve("/" + "/".join(segments) + "/")
    except Resolver404:
        return False
    return match.func is not wagtail_views.serve


def _address_reason(segments: tuple[str, ...], addresses: list[FixedAddress]) -> str | None:
    """What answers a page at ``segments`` below a site's root instead of the page, or None."""
    for address in addresses:
        common = min(len(segments), len(address.segments))
        if len(segments) <= len(address.segments) and segments == address.segments[:common]:
            return f"'{segments[0]}' is used by {_used_by(segments[0])}"
    if _answered_elsewhere(segments):
        address = "/" + "/".join(segments) + "/"
        return f"the address {address} is used by {_used_by(segments[0])}"
    return None


def reserved_slug_reason(*, slug: str, parent: Page | None) -> str | None:
    """What answers a page at ``slug`` under ``parent`` instead of the page ("'api' is used by
    the site's API"), or None."""
    if not slug or parent is None:
        return None
    addresses = fixed_addresses()
    for site in Site.objects.select_related("root_page"):
        root = site.root_page
        if not parent.url_path.startswith(root.url_path):
            continue
        reason = _address_reason(_page_segments(slug=slug, parent=parent, root=root), addresses)
        if reason is not None:
            return reason
    return None


def reserved_slug_problem(*, slug: str, parent: Page | None) -> str | None:
    """Why ``slug`` under ``parent`` would give a page readers cannot reach, and what to do, or
    None: "'api' is used by the site's API; choose another slug." """
    reason = reserved_slug_reason(slug=slug, parent=parent)
    return None if reason is None else choose_another_slug(reason)


CHOOSE_ANOTHER_SLUG = "; choose another slug."


def choose_another_slug(reason: str) -> str:
    """A reason from :func:`reserved_slug_reason` as the sentence an editor is shown."""
    return f"{reason[0].upper()}{reason[1:]}{CHOOSE_ANOTHER_SLUG}"


@dataclass(frozen=True)
class HiddenPage:
    """A page a site's root would put where one of the site's own views answers instead."""

    page: Page
    address: str  # the page's address below that root, e.g. "/api/"
    reason: str


def pages_hidden_below(root: Page) -> list[HiddenPage]:
    """The pages below ``root`` that readers could not reach were ``root`` a site's root page,
    topmost first; a page below one of them is left out, as renaming or moving the one found
    frees it too.

    The pages looked at are those at a fixed address's leading literal segments (``/api/``,
    ``/feeds/``, ``/feeds/rss/``), found in one query however large the site, and ``root``'s
    children. A deeper page is hidden only where a fixed address starts with its ancestors'
    slugs (every pattern in ``broadsheet/urls.py`` starts with a literal segment), so that
    ancestor is among those found.
    """
    addresses = fixed_addresses()
    candidates = {
        root.url_path + "/".join(address.segments[:length]) + "/"
        for address in addresses
        for length in range(1, len(address.segments) + 1)
    }
    pages = Page.objects.filter(url_path__in=candidates) | Page.objects.child_of(root)
    hidden: list[HiddenPage] = []
    for page in pages.order_by("path"):
        if any(page.path.startswith(found.page.path) for found in hidden):
            continue
        segments = tuple(part for part in page.url_path[len(root.url_path) :].split("/") if part)
        reason = _address_reason(segments, addresses)
        if reason is not None:
            address = "/" + "/".join(segments) + "/"
            hidden.append(HiddenPage(page=page, address=address, reason=reason))
    return hidden
