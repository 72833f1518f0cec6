"""Route a page URL with one query, instead of two for every level of the page tree.

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
"""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest
from wagtail.models import Page, get_page_models
from wagtail.url_routing import RouteResult


def _walk_is_plain(root_class: type[Page]) -> bool:
    """Does every page type route as Wagtail's default does (the root's own type aside)?

    Checked on each request: it costs a few attribute reads, and a page type added later (or
    in a test) is seen at once.
    """
    plain = (Page.route, root_class.route)
    return all(model.route in plain for model in get_page_models())


def route_by_url_path(
    root: Page, request: HttpRequest, path_components: list[str]
) -> RouteResult | None:
    """The route Wagtail's walk would find for ``path_components`` under ``root``, or None.

    None means "walk the tree": the shortcut does not apply, or it found nothing.
    """
    if not path_components or not _walk_is_plain(type(root)):
        return None
    slug = path_components[-1]
    url_path = f"{root.url_path}{'/'.join(path_components)}/"
    parent_url_path = url_path[: -len(slug) - 1]
    wanted = Q(slug=slug, url_path=url_path)
    if len(path_components) > 1:
        wanted |= Q(slug=path_components[-2], url_path=parent_url_path)
    found: dict[str, Page] = {}
    for row in Page.objects.filter(wanted).order_by():
        if row.url_path in found:
            return None  # two pages claim one URL: the walk decides, as it always did
        found[row.url_path] = row
    page = found.get(url_path)
    if page is None:
        return None
    if page.depth != root.depth + len(path_components) or not page.path.startswith(root.path):
        return None
    parent = root if len(path_components) == 1 else found.get(parent_url_path)
    if parent is None or page.path[: -Page.steplen] != parent.path:
        return None
    # As the walk does, so that page.get_parent() (the article's section) costs no query.
    page._cached_parent_obj = parent
    return page.specific.route(request, [])
