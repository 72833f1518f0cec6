"""Which article a request names: only live, public articles exist as far as the API is concerned,
so an embargoed or unpublished story answers exactly like one that was never written."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from django.db.models import QuerySet
from wagtail.models import Site

from newsroom.models import ArticlePage


def _live_article_ids() -> QuerySet:
    return ArticlePage.objects.live().public().values_list("pk", flat=True)


def article_live_id(*, article_id: int) -> int | None:
    return _live_article_ids().filter(pk=article_id).first()


def article_live_id_for_url(*, url: str) -> int | None:
    """The live article at ``url`` (an absolute address or a path on the site), or None.

    A host we serve picks its Wagtail site; a bare path (or a host we do not know) is looked for
    under every site. The path is matched against the page tree's stored ``url_path``, so no
    page is routed or rendered.
    """
    try:
        parts = urlsplit(url)
    except ValueError:  # an unbalanced "[" in the host, for example
        return None
    if not parts.path.startswith("/"):
        return None
    roots = Site.get_site_root_paths()  # cached by Wagtail between requests
    same_host = [root for root in roots if urlsplit(root.root_url).hostname == parts.hostname]
    path = unquote(parts.path).strip("/")  # url_path holds slugs as they are, not %-encoded
    if "\x00" in path:  # a NUL would be a database error on PostgreSQL, not a miss
        return None
    url_paths = [root.root_path + path + "/" for root in same_host or roots if path]
    return _live_article_ids().filter(url_path__in=url_paths).first() if url_paths else None


def article_live_ids(*, article_ids: list[int]) -> list[int]:
    return list(_live_article_ids().filter(pk__in=article_ids))
