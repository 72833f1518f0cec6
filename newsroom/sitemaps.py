"""The standard sitemap and the Google News sitemap, on Django's ``Sitemap`` classes.

Addresses are built from SITE_BASE_URL (not the request's Host), like every other link the
newsroom hands to machines, under its path prefix once whether built in a request or outside one
(core.site_urls). Only live, public pages are listed, so an embargoed article appears
once Wagtail publishes it and not before.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.utils import timezone
from wagtail.models import Page

from core.site_urls import site_path
from newsroom.models import ArticlePage, HomePage

# An article's latest correction, when it is dated later than its last publishing (its time was
# typed in), is its last change a reader can see, as its JSON-LD's dateModified says
# (newsroom.page_meta.article_modified_at): a crawler is told the same.
_CORRECTED = "latest_correction"


def _last_change(page):
    moments = [page.last_published_at, getattr(page, _CORRECTED, None)]
    return max((moment for moment in moments if moment is not None), default=None)


# Google News reads articles from the last two days and at most 1,000 of them per sitemap.
NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000


# Chinese as Google News names it: by script where the code says one, else by region.
_TRADITIONAL = {"hant", "tw", "hk", "mo"}


def news_language(language_code: str) -> str:
    """``language_code`` (a Django LANGUAGE_CODE, a BCP 47 tag) as Google News's sitemap takes
    it: the ISO 639 code alone ("en-gb" is "en"), except Chinese, which Google wants as
    ``zh-cn`` (Simplified) or ``zh-tw`` (Traditional) and not ``zh``. Django's own codes are
    "zh-hans" and "zh-hant"; the regions it still knows read as their script (Hong Kong and
    Macau Traditional, Singapore and Malaysia Simplified), and "zh" alone as Simplified."""
    language, *rest = language_code.lower().replace("_", "-").split("-")
    if language != "zh":
        return language
    script = next((part for part in rest if part in ("hans", "hant")), None)
    if script is not None:
        return "zh-tw" if script == "hant" else "zh-cn"
    return "zh-tw" if _TRADITIONAL.intersection(rest) else "zh-cn"


class _SiteBaseSitemap(Sitemap):
    """Django's ``Sitemap`` writes each address as protocol://domain + ``location``: the scheme
    and host of SITE_BASE_URL, and the path under its prefix (``site_path``). ``page.url``
    carries the prefix only in a request whose SCRIPT_NAME names it."""

    def get_protocol(self, protocol=None) -> str:
        return urlsplit(settings.SITE_BASE_URL).scheme or "https"

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.SITE_BASE_URL).netloc


class PageSitemap(_SiteBaseSitemap):
    """Every live, public page of the site: home, sections, articles and policy pages."""

    limit = 5000

    def items(self):
        home = HomePage.objects.first()
        if home is None:
            return Page.objects.none()
        return (
            Page.objects.live()
            .public()
            .descendant_of(home, inclusive=True)
            .only("id", "path", "depth", "url_path", "last_published_at")
            .annotate(**{_CORRECTED: Max("articlepage__corrections__corrected_at")})
            .order_by("path")
        )

    def location(self, page) -> str:
        return site_path(page.url or "/")

    def lastmod(self, page):
        return _last_change(page)


class NewsSitemap(_SiteBaseSitemap):
    """Articles first published in the last two days, for Google News."""

    limit = NEWS_LIMIT

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return list(
            ArticlePage.objects.live()
            .public()
            .filter(first_published_at__gte=since)
            .annotate(**{_CORRECTED: Max("corrections__corrected_at")})
            .order_by("-first_published_at")[:NEWS_LIMIT]
        )

    def location(self, article) -> str:
        return site_path(article.url)

    def lastmod(self, article):
        return _last_change(article)
