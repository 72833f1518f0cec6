"""Can a Wagtail view restriction apply to a page? Asked inside the query that reads the page.

Wagtail finds a page's restrictions with two queries (its ancestors, for aliases; then the
restrictions of it and of them) each time it serves the page. Most pages of a news site have
none. :func:`maybe_private` is an ``EXISTS`` to put in the query that reads the page anyway (the
route's, the thread's): true when a restriction sits on the page or a page above it, or when one
of those is an alias (whose original's restrictions apply). Only when it is true need anyone ask
Wagtail which restrictions apply and whether they let the request in.
"""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Q
from django.db.models.lookups import StartsWith
from wagtail.models import Page, PageViewRestriction


def maybe_private(path: str = "path") -> Q:
    """True for a page whose ``path`` (the outer query's field naming it) starts with the path
    of a restricted page or of an alias: itself or a page above it."""
    page_path = OuterRef(path)
    restricted = PageViewRestriction.objects.filter(StartsWith(page_path, F("page__path")))
    aliases = Page.objects.filter(StartsWith(page_path, F("path")), alias_of__isnull=False)
    return Q(Exists(restricted)) | Q(Exists(aliases))
