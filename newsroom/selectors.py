"""Reads for newsroom pages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import F, Max
from django.db.models.fields.tuple_lookups import Tuple, TupleLessThan
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from wagtail.models import Page, Site

from core import pagecache
from discussion.selectors import comment_counts_for_pages
from newsroom.models import ArticlePage
from newsroom.routing import RootInfo, site_for_request

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def article_list_latest(*, root: Page, limit: int) -> list:
    """The latest live articles under ``root``, newest first, each with ``comment_count`` set
    and ``is_live`` (a live blog still being updated, ``newsroom.live_blog.LIVE_WINDOW``).

    Private ones (behind a view restriction) are left out, as from feeds, sitemaps and search:
    an embargoed headline is not shown on the front page.
    """
    from newsroom.live_blog import is_live_annotation
    from newsroom.models import ArticlePage

    articles = list(
        ArticlePage.objects.live()
        .public()
        .descendant_of(root)
        .select_related("hero_image")
        .annotate(is_live=is_live_annotation())
        .order_by("-first_published_at")[:limit]
    )
    counts = comment_counts_for_pages([article.pk for article in articles])
    for article in articles:
        article.comment_count = counts.get(article.pk, 0)
    return articles


def article_list_for_feed(*, root: Page | None = None, author=None, limit: int = 50) -> list:
    """The latest live articles for a feed or sitemap, with authors and lead-image renditions
    prefetched so that a feed of fifty costs a handful of queries, not fifty times that.

    ``root`` narrows to a section (or the site's home page); ``author`` to one author's byline.
    """
    from newsroom.models import ArticlePage

    articles = ArticlePage.objects.live().public()
    if root is not None:
        articles = articles.descendant_of(root)
    if author is not None:
        articles = articles.filter(article_authors__author=author)
    return list(
        articles.select_related("hero_image")
        .prefetch_related("article_authors__author", "hero_image__renditions", "corrections")
        .order_by("-first_published_at", "-pk")[:limit]
    )


def article_feed_last_changed(*, root: Page | None = None, author=None) -> datetime | None:
    """When the newest article of a feed's scope was last published: the feed's Last-Modified.

    Two queries, the view restrictions (for ``public()``) and one aggregate, and no rows. It
    reads every live, public article in the scope (``root``'s descendants, or ``author``'s
    bylines), not only the fifty the feed lists, so it can only err towards "changed": an older
    article republished costs a feed reader one full fetch, never a missed story. A correction
    is published with its article, so it moves this time too. What reaches a feed without a
    publish (an article unpublished, moved or made private, an author renamed) does not: a
    reader holding the feed sees that with the next article published there.
    """
    from newsroom.models import ArticlePage

    articles = ArticlePage.objects.live().public()
    if root is not None:
        articles = articles.descendant_of(root)
    if author is not None:
        articles = articles.filter(article_authors__author=author)
    return articles.aggregate(newest=Max("last_published_at"))["newest"]


@dataclass(frozen=True)
class AuthorArticles:
    articles: list
    next_cursor: str | None  # for the page of older articles; None on the last page


def _author_cursor_of(article) -> str:
    micros = (article.first_published_at - _EPOCH) // _MICROSECOND
    return f"{micros}.{article.pk}"


def _author_cursor_parse(raw: str | None) -> tuple[datetime, int] | None:
    """(first published, id) from a cursor; anything malformed reads as none (the newest page)."""
    parts = (raw or "").split(".")
    # isascii too: "²" and "١" are digits to isdigit(), and int() refuses the first.
    if len(parts) != 2 or not all(
        part.isascii() and part.isdigit() and len(part) < 19 for part in parts
    ):
        return None
    try:
        return _EPOCH + int(parts[0]) * _MICROSECOND, int(parts[1])
    except OverflowError:
        return None


def article_list_by_author(*, author, before: str | None, limit: int) -> AuthorArticles:
    """One author's live articles, newest first, older than the cursor ``before``.

    A keyset over (first published, id) rather than an offset, so an author's hundredth page
    costs what the first does and an article published meanwhile never shifts the list.
    """
    from newsroom.models import ArticlePage

    articles = (
        ArticlePage.objects.live()
        .public()
        .filter(article_authors__author=author)
        .select_related("hero_image")
        .distinct()  # an author listed twice on one byline still lists it once
    )
    position = _author_cursor_parse(before)
    if position is not None:
        articles = articles.filter(TupleLessThan(Tuple(F("first_published_at"), F("pk")), position))
    rows = list(articles.order_by("-first_published_at", "-pk")[: limit + 1])
    shown = rows[:limit]
    counts = comment_counts_for_pages([article.pk for article in shown])
    for article in shown:
        article.comment_count = counts.get(article.pk, 0)
    next_cursor = _author_cursor_of(shown[-1]) if len(rows) > limit else None
    return AuthorArticles(articles=shown, next_cursor=next_cursor)


def section_titles_by_path() -> dict[str, str]:
    """Section titles keyed by tree path, to name an article's section without a query each."""
    from newsroom.models import SectionPage

    return dict(SectionPage.objects.values_list("path", "title"))


def policy_urls(*, home: Page) -> dict[str, str]:
    """The live standards pages under ``home``, as {kind: relative url}."""
    from newsroom.models import PolicyPage

    return {
        policy.kind: policy.url
        for policy in PolicyPage.objects.live().child_of(home).order_by("path")
        if policy.url
    }


@dataclass(frozen=True)
class NavigationLink:
    title: str
    url: str  # relative to the site, as Wagtail's page.url


@dataclass(frozen=True)
class SiteNavigation:
    """What every page of a site links to: its sections (header) and standards pages (footer)."""

    sections: tuple[NavigationLink, ...] = ()
    policies: tuple[NavigationLink, ...] = ()


_NAVIGATION_KEY = "newsroom:navigation:"


def site_navigation(*, request: HttpRequest) -> SiteNavigation:
    """The live, public sections whose "Show in menus" is ticked, and the live, public standards
    pages, under the home page of the request's site, each in tree order (the order editors give
    them in the admin). The standards pages are linked whatever that box says: the footer's
    "Our standards" is how a reader finds the corrections and ethics policies.

    Every page's header and footer show it, so it is kept in the cache under the ``site``
    version token, which every publish, unpublish, move or edit bumps: a page drawn while the
    token stands reads no rows for it.
    """
    found = site_for_request(request)
    if found is None:
        return SiteNavigation()
    site, root = found
    token = pagecache.tokens(["site"])["site"]
    key = f"{_NAVIGATION_KEY}{token}:{site.pk}"
    navigation = cache.get(key)
    if navigation is None:
        navigation = _site_navigation_read(root=root)
        cache.set(key, navigation, timeout=settings.PAGE_CACHE_SECONDS or 300)
    return navigation


def _site_navigation_read(*, root: RootInfo) -> SiteNavigation:
    """Two queries: the view restrictions (for ``public()``), then the pages themselves."""
    from newsroom.models import PolicyPage, SectionPage

    rows = (
        Page.objects.live()
        .public()
        .type(SectionPage, PolicyPage)
        .filter(path__startswith=root.path, depth=root.depth + 1)
        .order_by("path")
        .values_list("title", "url_path", "content_type_id", "show_in_menus")
    )
    sections, policies = [], []
    for title, url_path, content_type_id, in_menus in rows:
        url = _site_relative_url(url_path=url_path, root_url_path=root.url_path)
        if url is None:
            continue
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is not None and issubclass(model, SectionPage):
            if in_menus:
                sections.append(NavigationLink(title=title, url=url))
        else:
            policies.append(NavigationLink(title=title, url=url))
    return SiteNavigation(sections=tuple(sections), policies=tuple(policies))


def _site_relative_url(*, url_path: str, root_url_path: str) -> str | None:
    """A page's address on its own site, made as Wagtail's ``page.url`` makes it."""
    try:
        url = reverse("wagtail_serve", args=(url_path[len(root_url_path) :],))
    except NoReverseMatch:
        return None
    if not getattr(settings, "WAGTAIL_APPEND_SLASH", True) and url != "/":
        url = url.rstrip("/")
    return url


@dataclass(frozen=True)
class SectionFeedLink:
    """A section whose feeds the feeds page lists: its title, and the slug its feeds' addresses
    take (newsroom:section_feed_rss)."""

    title: str
    slug: str


def feed_sections(*, request: HttpRequest) -> tuple[SectionFeedLink, ...]:
    """The live, public sections of the request's site that have feeds, in tree order (the order
    editors give them in the admin), whether or not the header's menu shows them: one query
    for the view restrictions, one for the sections."""
    from newsroom.models import SectionPage

    found = site_for_request(request)
    if found is None:
        return ()
    _site, root = found
    rows = (
        SectionPage.objects.live()
        .public()
        .filter(path__startswith=root.path, depth__gt=root.depth)
        .order_by("path")
        .values_list("title", "slug")
    )
    return tuple(SectionFeedLink(title=title, slug=slug) for title, slug in rows)


@dataclass(frozen=True)
class SectionStory:
    """One story in an article's "More from the section" list."""

    page_id: int
    title: str
    url: str
    first_published_at: datetime | None
    is_live: bool


_SECTION_LATEST_KEY = "newsroom:section-latest:"
MORE_FROM_SECTION = 4


def more_from_section(
    *, request: HttpRequest, section: Page, article_id: int, limit: int = MORE_FROM_SECTION
) -> tuple[SectionStory, ...]:
    """The section's latest live, public articles other than ``article_id``, newest first.

    Every article in the section shows the list, so the section's latest stories are kept in
    the cache under the ``site`` token (every publish, unpublish, move or edit bumps it): an
    article drawn while it stands reads no rows for them.
    """
    token = pagecache.tokens(["site"])["site"]
    key = f"{_SECTION_LATEST_KEY}{token}:{section.pk}:{limit + 1}"
    stories = cache.get(key)
    if stories is None:
        stories = _section_latest_read(request=request, section=section, limit=limit + 1)
        cache.set(key, stories, timeout=settings.PAGE_CACHE_SECONDS or 300)
    return tuple(story for story in stories if story.page_id != article_id)[:limit]


def _section_latest_read(
    *, request: HttpRequest, section: Page, limit: int
) -> tuple[SectionStory, ...]:
    """Two queries: the view restrictions (for ``public()``), then the articles."""
    from newsroom.live_blog import is_live_annotation
    from newsroom.models import ArticlePage

    articles = (
        ArticlePage.objects.live()
        .public()
        .child_of(section)
        .annotate(is_live=is_live_annotation())
        .order_by("-first_published_at", "-pk")
        .only("id", "title", "url_path", "first_published_at")[:limit]
    )
    return tuple(
        SectionStory(
            page_id=article.pk,
            title=article.title,
            url=article.get_url(request=request) or "",
            first_published_at=article.first_published_at,
            is_live=article.is_live,
        )
        for article in articles
    )


def comments_latest(*, page_id: int, limit: int = 50) -> list:
    """The newest published comments on a page's thread, for its comments feed."""
    from discussion.models import Comment

    return list(
        Comment.objects.filter(thread__page_id=page_id, status=Comment.Status.PUBLISHED)
        .only("id", "author_name", "html", "created_at", "edited_at")
        .order_by("-created_at", "-id")[:limit]
    )


# Around a slug in another platform's page address: a file extension (a static site's
# /title.html, an old CMS's /title.php), or a last part that names no page (an index page, the
# AMP copy whose thread Disqus kept apart).
_PAGE_EXTENSION = re.compile(r"\.(?:html?|shtml|php|aspx?)$", re.IGNORECASE)
_NOT_A_SLUG = {"index.html", "index.htm", "index.php", "amp"}


def _slugs_in(path: str) -> list[str]:
    """The slug an old page address may carry: its last part, without an extension, or the
    part before one that names no page."""
    parts = [part for part in path.split("/") if part]
    while parts and parts[-1].lower() in _NOT_A_SLUG:
        parts.pop()
    if not parts:
        return []
    return [parts[-1], _PAGE_EXTENSION.sub("", parts[-1])]


def article_for_address(*, url: str, slug: str = "") -> Page | None:
    """The article a comment export's page address stands for, or None.

    The address's path is looked for under every site (an export names the old site's host,
    which this one need not share). A site that moved (WordPress's /2024/05/title/ to a
    section's /news/title/) still matches by the path's last part, or ``slug``, when exactly
    one article has it; so does one whose address wrapped the slug (/title.html,
    /title/index.html, /title/amp/).
    """
    try:
        path = unquote(urlsplit(url).path).strip("/")
    except ValueError:
        path = ""
    if path and "\x00" not in path:
        roots = [root.root_path for root in Site.get_site_root_paths()]
        # A page's address ends in its slug: asked for too, the slug's index finds it, where the
        # address alone (which has none) read every page of the site, for each discussion of an
        # import (40 ms each on a site of 1,600 articles).
        found = ArticlePage.objects.filter(
            slug=path.rpartition("/")[2], url_path__in=[f"{r}{path}/" for r in roots]
        ).first()
        if found is not None:
            return found
    for candidate in dict.fromkeys([slug.strip(), path.rpartition("/")[2], *_slugs_in(path)]):
        if candidate and "\x00" not in candidate:
            matches = list(ArticlePage.objects.filter(slug=candidate)[:2])
            if len(matches) == 1:
                return matches[0]
    return None


SCHEDULED_SHOWN = 10


def scheduled_pages(*, user, limit: int = SCHEDULED_SHOWN) -> list[tuple[datetime, Page]]:
    """The pages ``user`` may edit that are scheduled to go live (a revision published with a
    go-live time still to come, which ``publish_scheduled`` will publish), soonest first, as
    (go-live time, page): two queries."""
    from wagtail.models import Revision
    from wagtail.permission_policies.pages import PagePermissionPolicy

    editable = PagePermissionPolicy().instances_user_has_any_permission_for(user, ["change"])
    revisions = (
        Revision.objects.page_revisions()
        .filter(approved_go_live_at__isnull=False)
        .order_by("approved_go_live_at", "pk")
        .values_list("object_id", "approved_go_live_at")
    )
    wanted = [(int(object_id), at) for object_id, at in revisions[: limit * 4]]
    pages = editable.filter(pk__in=[pk for pk, _ in wanted]).specific().in_bulk()
    return [(at, pages[pk]) for pk, at in wanted if pk in pages][:limit]
