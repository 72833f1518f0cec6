"""Route a page URL with one query, instead of two for every level of the page tree.

Wagtail finds the site first (a query), then loads the site's root page and its specific page (two
more), before it walks. :class:`PreRouteMiddleware` takes the sites from a small cached list
instead (the ``site`` version token, bumped whenever a site or page changes, keys it), matches the
request's host as Wagtail does, and hands Wagtail the site and, for a page below a section, the
route it found: Wagtail's serve view then runs exactly as before, minus those reads.

Wagtail routes ``/news/some-story/`` by walking down from the site's root page: at each level it
reads the child with the next slug, then that child's specific page. Every page also keeps its
whole path of slugs in ``url_path`` (Wagtail rewrites it, and its descendants', whenever a slug
changes or a page moves), so the page a URL names, and its parent, can be read in one query.
``url_path`` has no index of its own; the lookup also names the slug, which Wagtail indexes.

The shortcut is taken only where it cannot answer differently from the walk:

- no page type but the site root's own overrides ``route`` (a ``RoutablePageMixin`` page, say,
  answers paths beneath it itself, so the walk must reach it);
- exactly the rows the walk would reach are found: the page at the right depth under the root,
  and its parent.

Anything else (an unknown URL included) is left to Wagtail's walk. The page found is then routed
by its own ``route`` with nothing left of the path, as the walk ends, so a page that is not live
is still a 404.

Each app process also keeps the pages it found (:data:`_ROUTES`, the most recent
``ROUTE_CACHE_SIZE``), keyed by the ``site`` version token read for the request: any change to a
page row, a view restriction or a page's place in the tree bumps that token once it commits
(newsroom.publish_hooks), so a page is never routed from a copy older than the token it was read
under. A comment's POST and a signed-in reader's uncached view then route with no query. Each
request gets its own copy of the page instance; the change's own process also forgets its routes
at once, before the commit, so it never waits for its own bump. The token itself is the one this
process last read while that is recent (``core.pagecache.recent_token``): a change made through
another app process is routed by within ``PAGE_CACHE_LOCAL_MAX_STALE_MS``, as the page cache
serves it, and a request routes with no round trip to Redis either.
"""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass
from typing import Any

from cachetools import LRUCache
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import split_domain_port
from wagtail.models import Page, Site, get_page_models
from wagtail.url_routing import RouteResult

from core import pagecache
from core.privacy import MaybePrivate


def _walk_is_plain(root_class: type[Page]) -> bool:
    """Does every page type route as Wagtail's default does (the root's own type aside)?

    Checked on each request: it costs a few attribute reads, and a page type added later (or
    in a test) is seen at once.
    """
    plain = (Page.route, root_class.route)
    return all(model.route in plain for model in get_page_models())


@dataclass(frozen=True)
class RootInfo:
    """What routing needs of a site's root page, without loading it."""

    url_path: str
    path: str
    depth: int
    page_class: type[Page]
    # The ``site`` version token the site was read under; routes found under it are kept.
    token: str = ""


ROUTE_CACHE_SIZE = 1024
_ROUTES: LRUCache = LRUCache(maxsize=ROUTE_CACHE_SIZE)
_ROUTES_LOCK = threading.Lock()


def routes_forget() -> None:
    """Drop this process's routes (a page changed here; other processes see the token move)."""
    with _ROUTES_LOCK:
        _ROUTES.clear()
        _BY_ID.clear()
    with _SITES_LOCK:
        _SITES.clear()


def _route_kept(key: tuple | None) -> Page | None:
    if key is None:
        return None
    with _ROUTES_LOCK:
        page = _ROUTES.get(key)
    # The request's own copy: a view may set attributes on its page.
    return None if page is None else copy.copy(page)


def _route_keep(key: tuple | None, page: Page) -> None:
    if key is not None:
        kept = copy.copy(page)
        with _ROUTES_LOCK:
            _ROUTES[key] = kept


def route_by_url_path(
    root: Page | RootInfo, request: HttpRequest, path_components: list[str]
) -> RouteResult | None:
    """The route Wagtail's walk would find for ``path_components`` under ``root``, or None.

    None means "walk the tree": the shortcut does not apply, or it found nothing. With a
    :class:`RootInfo` (the root page not loaded) only paths two or more levels deep are routed,
    so that the page's parent is read in the same query.
    """
    root_class = root.page_class if isinstance(root, RootInfo) else type(root)
    if not path_components or not _walk_is_plain(root_class):
        return None
    if isinstance(root, RootInfo) and len(path_components) < 2:
        return None
    key = None
    if isinstance(root, RootInfo) and root.token:
        key = (root.token, root.path, tuple(path_components))
        kept = _route_kept(key)
        if kept is not None:
            return kept.route(request, [])
    slug = path_components[-1]
    url_path = f"{root.url_path}{'/'.join(path_components)}/"
    parent_url_path = url_path[: -len(slug) - 1]
    wanted = Q(slug=slug, url_path=url_path)
    if len(path_components) > 1:
        wanted |= Q(slug=path_components[-2], url_path=parent_url_path)
    found: dict[str, Page] = {}
    # Whether a view restriction can apply is read in the same query (core.privacy), so that
    # serving the page need not ask Wagtail for its restrictions when none can.
    for row in (
        Page.objects.filter(wanted).annotate(maybe_private=MaybePrivate(F("path"))).order_by()
    ):
        if row.url_path in found:
            return None  # two pages claim one URL: the walk decides, as it always did
        found[row.url_path] = row
    page = found.get(url_path)
    if page is None:
        return None
    if page.depth != root.depth + len(path_components) or not page.path.startswith(root.path):
        return None
    parent = root if len(path_components) == 1 else found.get(parent_url_path)
    assert not isinstance(parent, RootInfo)  # a RootInfo routes two levels or more
    if parent is None or page.path[: -Page.steplen] != parent.path:
        return None
    # As the walk does, so that page.get_parent() (the article's section) costs no query.
    page._cached_parent_obj = parent
    specific = page.specific
    specific.no_view_restrictions = not page.maybe_private
    _route_keep(key, specific)
    return specific.route(request, [])


# --- A live, public page by its id ----------------------------------------------------------

# The JSON API's comment POST names its article by id. Wagtail's ``live().public()`` reads every
# view restriction on the site and then the page with its whole row for each post (two queries,
# about 40% of the POST's time); like the routes above, each process keeps what it found under
# the ``site`` token, which any change to a page or a view restriction bumps.
_BY_ID: LRUCache = LRUCache(maxsize=ROUTE_CACHE_SIZE)
_NOT_FOUND = object()


def live_public_page(model: type[Page], page_id: int) -> Page | None:
    """The live page ``page_id`` of type ``model`` that no view restriction covers, or None: what
    ``model.objects.live().public().filter(pk=page_id).first()`` finds, with no query while the
    ``site`` token stands. Each caller gets its own copy of the page instance."""
    key = (pagecache.recent_token("site"), model._meta.label_lower, page_id)
    with _ROUTES_LOCK:
        kept = _BY_ID.get(key)
    if kept is None:
        # Read after the token, so never older than it. Where a restriction or an alias may
        # apply (core.privacy), Wagtail's own filter decides.
        row = (
            model.objects.live()
            .filter(pk=page_id)
            .annotate(maybe_private=MaybePrivate(F("path")))
            .order_by()
            .first()
        )
        if row is not None and row.maybe_private:
            row = model.objects.live().public().filter(pk=page_id).first()
        kept = _NOT_FOUND if row is None else row
        with _ROUTES_LOCK:
            _BY_ID[key] = kept
    return None if kept is _NOT_FOUND else copy.copy(kept)


# --- The site, from a cached list -------------------------------------------------------------

# The sites as of each recent ``site`` token: what a token names never changes, so each process
# keeps its own copy rather than asking the shared cache (a round trip to Redis per request).
_SITES: LRUCache = LRUCache(maxsize=8)
_SITES_LOCK = threading.Lock()


@dataclass
class _Sites:
    rows: list[dict[str, Any]]
    root_paths: list | None = None  # Wagtail's ``Site.get_site_root_paths()``, once asked


def _sites() -> tuple[str, _Sites]:
    """The current ``site`` token, and every site as of that token."""
    token = pagecache.recent_token("site")
    with _SITES_LOCK:
        sites = _SITES.get(token)
    if sites is None:
        # Read after the token, so never older than it (newer at worst, until the next bump).
        rows = list(
            Site.objects.order_by("pk").values(
                "pk",
                "hostname",
                "port",
                "site_name",
                "is_default_site",
                "root_page_id",
                "root_page__url_path",
                "root_page__path",
                "root_page__depth",
                "root_page__content_type_id",
            )
        )
        sites = _Sites(rows)
        with _SITES_LOCK:
            _SITES[token] = sites
    return token, sites


def _root_paths(sites: _Sites) -> list:
    """Wagtail's list of site root paths (for page URLs), kept with the sites of a token: Wagtail
    keeps it in the shared cache, and read it from there for every page URL a request made."""
    if sites.root_paths is None:
        sites.root_paths = Site.get_site_root_paths()
    return sites.root_paths


def _match(rows: list[dict[str, Any]], hostname: str, port: int | None) -> dict | None:
    """Wagtail's ``get_site_for_hostname``, over the cached rows."""

    def rank(row: dict[str, Any]) -> int:
        if row["hostname"] == hostname and row["port"] == port:
            return 0  # this host and port
        if row["hostname"] == hostname and row["is_default_site"]:
            return 1  # this host, the default site
        if row["is_default_site"]:
            return 2  # the default site, another host
        return 3  # this host, another port

    candidates = sorted(
        (row for row in rows if row["hostname"] == hostname or row["is_default_site"]), key=rank
    )
    if not candidates:
        return None
    if len(candidates) == 1 or rank(candidates[0]) in (0, 1):
        return candidates[0]
    if rank(candidates[0]) == 2:
        # One other site on this host (another port) is preferred to the default; several are not.
        return candidates[len(candidates) == 2]
    return None


def site_for_request(request: HttpRequest) -> tuple[Site, RootInfo] | None:
    """The site Wagtail would find for ``request`` (None when none matches), without a query."""
    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()
    token, sites = _sites()
    row = _match(sites.rows, hostname, int(port) if str(port).isdigit() else None)
    if row is None:
        return None
    # Page URLs made for this request (a redirect to the article, links) use the kept list.
    request._wagtail_cached_site_root_paths = _root_paths(sites)
    site = Site(
        id=row["pk"],
        hostname=row["hostname"],
        port=row["port"],
        site_name=row["site_name"],
        is_default_site=row["is_default_site"],
        root_page_id=row["root_page_id"],
    )
    page_class = ContentType.objects.get_for_id(row["root_page__content_type_id"]).model_class()
    root = RootInfo(
        url_path=row["root_page__url_path"],
        path=row["root_page__path"],
        depth=row["root_page__depth"],
        page_class=page_class or Page,
        token=token,
    )
    return site, root


class PreRouteMiddleware:
    """Give Wagtail's serve view its site and route without the reads its walk makes.

    Wagtail keeps both on the request (``_wagtail_site``, ``_wagtail_route_for_request``) and
    uses them when present; whatever this cannot settle is left for Wagtail to find as before.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        from wagtail import views as wagtail_views  # loads models: not at import time

        if view_func is not wagtail_views.serve or getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            return None
        found = site_for_request(request)
        if found is None:
            return None
        site, root = found
        request._wagtail_site = site
        path = view_args[0] if view_args else view_kwargs.get("path", "")
        components = [component for component in path.split("/") if component]
        try:
            route = route_by_url_path(root, request, components)
        except Http404:
            route = None  # as Wagtail records a page that is not live
            request._wagtail_route_for_request = None
        if route is not None:
            request._wagtail_route_for_request = route
            # ``page.url`` (no request at hand) asks the page for the list; it is this request's.
            route.page._wagtail_cached_site_root_paths = request._wagtail_cached_site_root_paths
        return None
