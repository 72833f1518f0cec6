"""Plain Django views for what machines read (sitemaps, robots.txt, ninjs) and reader search.

Each view only gathers data through selectors or the format modules and hands it back; the
shapes live in ``sitemaps``, ``ninjs`` and the templates.
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from core import pagecache
from core.methods import takes_only
from newsroom import links, structured_data
from newsroom.live_blog import entries_of_live_blog, live_entries_after
from newsroom.models import ArticlePage, Author, LiveBlogPage
from newsroom.ninjs import article_ninjs
from newsroom.selectors import article_list_by_author, feed_sections
from newsroom.sitemaps import NewsSitemap, PageSitemap, news_language

AUTHOR_PAGE_SIZE = 20
SEARCH_PAGE_SIZE = 20
SEARCH_QUERY_MAX = 200


def _kept_until_the_site_changes(request: HttpRequest) -> dict[str, str] | None:
    """For an answer the page cache may keep until an editor changes something: the "site"
    token, read before anything the answer lists (None when the cache will not keep it). Kept,
    it carries an ETag, and a crawler or partner that sends it back gets 304 Not Modified."""
    return pagecache.tokens(["site"]) if pagecache.is_candidate(request) else None


def _kept(response: HttpResponse, deps: dict[str, str] | None) -> HttpResponse:
    return pagecache.mark(response, deps) if deps is not None else response


@require_safe
def sitemap(request: HttpRequest) -> HttpResponse:
    """Every live, public page; past ``PageSitemap.limit`` of them (what one file may list), a
    sitemap index of the parts, each this address with ``?p=<n>``."""
    deps = _kept_until_the_site_changes(request)
    pages = PageSitemap()
    part_count = pages.paginator.num_pages
    asked = request.GET.getlist("p")
    if not asked and part_count > 1:
        here = links.absolute(reverse("newsroom:sitemap"))
        response = TemplateResponse(
            request,
            "newsroom/sitemap_index.xml",
            {"parts": [f"{here}?p={n}" for n in range(1, part_count + 1)]},
            content_type="application/xml",
        )
        return _kept(response, deps)
    part = 1
    if asked:
        raw = asked[0]
        if len(asked) > 1 or not (raw.isascii() and raw.isdigit() and len(raw) <= 9):
            raise Http404("No such part of the sitemap.")
        part = int(raw)
        if not 1 <= part <= part_count:
            raise Http404("No such part of the sitemap.")
    response = TemplateResponse(
        request,
        "newsroom/sitemap.xml",
        {"urlset": pages.get_urls(page=part)},
        content_type="application/xml",
    )
    return _kept(response, deps)


@require_safe
def news_sitemap(request: HttpRequest) -> HttpResponse:
    # Kept at most PAGE_CACHE_SECONDS, so an article leaves it that long after its two days.
    deps = _kept_until_the_site_changes(request)
    response = TemplateResponse(
        request,
        "newsroom/sitemap_news.xml",
        {
            "urlset": NewsSitemap().get_urls(),
            "publication_name": settings.WAGTAIL_SITE_NAME,
            "publication_language": news_language(settings.LANGUAGE_CODE),
        },
        content_type="application/xml",
    )
    return _kept(response, deps)


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "",
        f"Sitemap: {links.absolute(reverse('newsroom:sitemap'))}",
        f"Sitemap: {links.absolute(reverse('newsroom:news_sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@takes_only("GET", "HEAD")
def ninjs_article(request: HttpRequest, article_id: int) -> JsonResponse:
    deps = _kept_until_the_site_changes(request)
    article = (
        ArticlePage.objects.live()
        .public()
        .select_related("hero_image")
        .filter(pk=article_id)
        .first()
    )
    if article is None:
        raise Http404("No published article with that id.")
    authors = [link.author for link in article.article_authors.select_related("author")]
    entries = None
    if article.specific_class is LiveBlogPage:
        entries = entries_of_live_blog(page_id=article.pk)
    data = article_ninjs(
        page=article,
        authors=authors,
        corrections=list(article.corrections.all()),
        entries=entries,
    )
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/ninjs+json; charset=utf-8"
    return _kept(response, deps)


@require_safe
def author_page(request: HttpRequest, slug: str) -> HttpResponse:
    """An author's public page: name, bio, feeds and latest articles, keyset-paged by ``before``."""
    author = get_object_or_404(Author, slug=slug)
    before = request.GET.get("before", "")
    listing = article_list_by_author(author=author, before=before, limit=AUTHOR_PAGE_SIZE)
    url = links.author_url(author)
    return TemplateResponse(
        request,
        "newsroom/author_page.html",
        {
            "author": author,
            "articles": listing.articles,
            "next_cursor": listing.next_cursor,
            "older_page": bool(before),
            "canonical_url": url,
            "json_ld": structured_data.json_ld_script(
                structured_data.author_profile_json_ld(author=author, url=url)
            ),
        },
    )


@require_safe
def feeds_index(request: HttpRequest) -> HttpResponse:
    """The site's feeds, for a reader to paste into a feed reader: the whole site's, each
    section's, and where authors' and comments' feeds are. The footer links it; the section
    feeds were otherwise found only by a feed reader reading a section page's head."""
    return TemplateResponse(
        request,
        "newsroom/feeds.html",
        {
            "sections": feed_sections(request=request),
            "canonical_url": links.absolute(reverse("newsroom:feeds")),
        },
    )


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    # NUL bytes and control characters never match an article and upset some backends.
    query = "".join(ch for ch in request.GET.get("q", "") if ch.isprintable()).strip()
    query = query[:SEARCH_QUERY_MAX]
    results = ArticlePage.objects.live().public().search(query) if query else []
    page = Paginator(results, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    return TemplateResponse(request, "newsroom/search.html", {"query": query, "results_page": page})


@require_safe
def live_entries(request: HttpRequest, article_id: int) -> HttpResponse:
    """Entries of a live blog newer than ``?after=<entry id>``, as HTML (empty when none)."""
    page = LiveBlogPage.objects.live().public().filter(pk=article_id).first()
    if page is None:
        raise Http404("No live blog with that id.")
    raw = request.GET.get("after", "0")
    # isascii too: "²" is a digit to isdigit(), and int() refuses it.
    after = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 18 else 0
    response = TemplateResponse(
        request,
        "newsroom/_live_entries.html",
        {"entries": live_entries_after(page=page, after=after)},
    )
    response["Cache-Control"] = "no-cache"
    return response
