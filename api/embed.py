"""The embed: an article's discussion shown on another site's page, in an iframe.

A partner (or the newsroom's own other sites) puts ``<div data-broadsheet-article="ID">`` and
``/static/api/embed.js`` on a page; the script puts ``/embed/articles/ID/`` in an iframe and
sizes it to its content. The embed reads: the newest comments first with their first replies,
counts, featured comments, more pages, and live "N new comments" as on the article. Joining in
(posting, replying, recommending, reporting) happens on the article itself, which every link
opens in a new tab: in another site's frame the reader's cookies are not sent (SameSite), so a
form there could only fail. With nothing to click that acts, there is nothing to trick a
reader into, and any site may show it unless ``EMBED_FRAME_ANCESTORS`` says otherwise.

Anonymous, and so the same for every reader: kept by the page cache until the thread changes.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt

from api import selectors
from core import pagecache
from discussion import closing, live
from discussion import selectors as discussion_selectors

EMBED_SORTS = ("newest", "oldest", "reactions", "replies")
READS = ("GET", "HEAD")


# Exempt from the CSRF check: the embed changes nothing whatever the method, and the check's
# 403 (like require_safe's bare 405) refused every frame, so a form posted into the partner's
# iframe showed the browser's broken-frame box. Any other method gets the embed's own refusal.
@csrf_exempt
@xframe_options_exempt
def article_comments(request: HttpRequest, article_id: int) -> HttpResponse:
    if request.method not in READS:
        return _nothing_posted_here(request, article_id)
    # Each version token is read before what it guards (core.pagecache).
    cacheable = pagecache.is_candidate(request)
    deps = pagecache.tokens(["site", pagecache.page_token(article_id)]) if cacheable else None
    page = selectors.article_live_page(article_id=article_id)
    if page is None:
        return _unavailable(request)
    thread = discussion_selectors.thread_for_page(page_id=page.pk)
    if deps is not None and thread is not None:
        deps.update(pagecache.tokens([pagecache.thread_token(thread.pk)]))
    raw_sort = request.GET.get("sort", "newest")
    sort = raw_sort if raw_sort in EMBED_SORTS else "newest"
    thread_page = None
    live_since = ""
    if thread is not None:
        live_since = live.position(thread.pk)
        thread_page = discussion_selectors.thread_page(
            thread=thread,
            sort=sort,
            after=request.GET.get("after", "")[:64],
            limit=settings.COMMENTS_PAGE_SIZE,
            replies_shown=settings.REPLIES_SHOWN,
        )
    here = request.path
    response = render(
        request,
        "api/embed_comments.html",
        {
            "page": page,
            # Relative where the article is on the site that served the embed (its own host), so
            # joining in goes to the address the partner's page already loads the embed from.
            "article_url": page.get_url(request),
            "thread": thread,
            "thread_page": thread_page,
            "featured": discussion_selectors.featured_comments(thread=thread) if thread else [],
            "live_since": live_since,
            "sort": sort,
            "sorts": [(key, discussion_selectors.SORTS[key]) for key in EMBED_SORTS],
            "page_url": here,
            "read_only": True,
            # Drawn for nobody in particular: no reader's own comments, no marked focus.
            "viewer": None,
            "focus_id": None,
            "thread_closed": closing.closed_notice(thread, page) is not None,
        },
    )
    _may_be_framed(response)
    if deps is not None:
        pagecache.mark(response, deps)
    return response


@csrf_exempt
@xframe_options_exempt
def article_comments_of_no_id(request: HttpRequest, raw_id: str) -> HttpResponse:
    """An embed address whose id could name no article: over 18 digits (the ``id`` converter's
    bound, so no lookup overflows) or not a number. Answered as an id nobody used, with the
    embed's own frameable line rather than the site's 404 page, which no frame may show."""
    return _unavailable(request)


def _unavailable(request: HttpRequest) -> HttpResponse:
    """No live, public article with that id (a wrong id, a draft, a members-only story).

    The site's own 404 page refuses every frame (``X-Frame-Options: DENY``), so the partner's
    page would show the browser's broken-frame box. This one may be framed where the embed may,
    says in a line that there are no comments to show, and tells the holder its height like the
    embed, so the holder shrinks to that line. It names nothing of the article, so a members-only
    story answers exactly as an id nobody used. Not kept by the page cache: it is small, and
    rarely asked for.
    """
    response = render(request, "api/embed_unavailable.html", status=404)
    _may_be_framed(response)
    return response


def _nothing_posted_here(request: HttpRequest, article_id: int) -> HttpResponse:
    """A POST (or any method but a read) to the embed: a 405 that may be framed where the embed
    may, saying that nothing was posted and, for a public article, linking to it, where
    comments are written. An id that names no public article answers as a read of it would."""
    page = selectors.article_live_page(article_id=article_id)
    if page is None:
        response = _unavailable(request)
    else:
        context = {"page": page, "article_url": page.get_url(request)}
        response = render(request, "api/embed_refused.html", context, status=405)
    response["Allow"] = ", ".join(READS)
    _may_be_framed(response)
    return response


def _may_be_framed(response: HttpResponse) -> None:
    response["Content-Security-Policy"] = f"frame-ancestors {settings.EMBED_FRAME_ANCESTORS}"
