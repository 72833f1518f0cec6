"""Which article a request names: only live, public articles exist as far as the API is concerned,
so an embargoed or unpublished story answers exactly like one that was never written."""

from __future__ import annotations

import functools
from urllib.parse import unquote, urlsplit

from django.db import connections
from django.urls import get_script_prefix
from django.utils.functional import SimpleLazyObject
from wagtail.models import Page, PageViewRestriction, Site

from core.db import read_cursor
from discussion import selectors as discussion_selectors
from discussion.models import Thread
from newsroom import routing
from newsroom.models import ArticlePage


@functools.cache
def _live_public_sql(alias: str, *, with_thread: bool = False) -> tuple[str, str]:
    """Live articles outside every private section, as one SELECT of ids: the SQL before and
    after the condition that picks which. ``with_thread`` selects each article's thread (its
    columns NULL when nobody has commented yet) ahead of the id, as a ThreadLookup has them.

    Wagtail's ``.live().public()`` reads every view restriction first and builds a filter from
    them: two queries and a Q for each request. Here the same rule is a NOT EXISTS in the one
    query: a page is private when a restricted page's tree path starts its own (the restricted
    page is the page itself or one of its ancestors). Table and column names come from the
    models; every value is a parameter.
    """
    quote = connections[alias].ops.quote_name

    def column(table: str, name: str) -> str:
        return f"{quote(table)}.{quote(Page._meta.get_field(name).column)}"

    article, page = quote(ArticlePage._meta.db_table), quote(Page._meta.db_table)
    restriction = quote(PageViewRestriction._meta.db_table)
    restricted_page = quote(PageViewRestriction._meta.get_field("page").column)
    article_id = f"{quote('article')}.{quote(ArticlePage._meta.pk.column)}"
    thread_columns, thread_join = "", ""
    if with_thread:
        thread_columns = discussion_selectors.thread_columns(alias=alias, table="t") + ", "
        thread_page = quote(Thread._meta.get_field("page").column)
        thread_join = (
            f" LEFT JOIN {quote(Thread._meta.db_table)} {quote('t')} "
            f"ON {quote('t')}.{thread_page} = {article_id}"
        )
    head = (
        f"SELECT {thread_columns}{article_id} FROM {article} {quote('article')} "  # noqa: S608
        f"INNER JOIN {page} {quote('p')} ON {column('p', 'id')} = {article_id}{thread_join} "
        f"WHERE {column('p', 'live')} = %s AND"
    )
    tail = (
        f"AND NOT EXISTS (SELECT 1 FROM {restriction} {quote('r')} "  # noqa: S608
        f"INNER JOIN {page} {quote('rp')} ON {column('rp', 'id')} = {quote('r')}.{restricted_page} "
        f"WHERE SUBSTR({column('p', 'path')}, 1, LENGTH({column('rp', 'path')})) "
        f"= {column('rp', 'path')}) ORDER BY {column('p', 'path')}"
    )
    return head, tail


def _live_public_query(*, field: str, values: list, with_thread: bool = False) -> tuple[str, list]:
    """The query of the live, public articles whose page ``field`` is one of ``values``, by tree
    path: each as (id,), or with ``with_thread`` as (the thread's columns..., id)."""
    text = _live_public_text(ArticlePage.objects.db, field, len(values), with_thread=with_thread)
    return text, [True, *values]


@functools.lru_cache(maxsize=256)
def _live_public_text(alias: str, field: str, count: int, *, with_thread: bool) -> str:
    """The text of ``_live_public_query`` for ``count`` values, made once: every read of the API
    asks for the same few (one id with its thread, for a page of comments). Made per request,
    it was 5.2 microseconds of the page's CPU; looked up, 1.8."""
    connection = connections[alias]
    head, tail = _live_public_sql(alias, with_thread=with_thread)
    name = connection.ops.quote_name(Page._meta.get_field(field).column)
    marks = ", ".join(["%s"] * count)
    return f"{head} {connection.ops.quote_name('p')}.{name} IN ({marks}) {tail}"


def _live_public_ids(*, field: str, values: list) -> list[int]:
    text, params = _live_public_query(field=field, values=values)
    with read_cursor(connections[ArticlePage.objects.db]) as cursor:
        cursor.execute(text, params)
        return [row[0] for row in cursor.fetchall()]


def article_live_thread(*, article_id: int) -> discussion_selectors.ThreadLookup:
    """The live, public article ``article_id`` and its thread, as a lookup that
    ``discussion.selectors.thread_page`` runs in the page's own query: the page's ``found`` is
    (the article's id,), or None when there is no such article; its ``thread`` is None when
    nobody has commented on the article yet."""
    text, params = _live_public_query(field="id", values=[article_id], with_thread=True)
    width = len(Thread._meta.concrete_fields) + 1
    return discussion_selectors.ThreadLookup(text=text, params=params, width=width)


def article_page_lazily(*, article_id: int) -> Page:
    """The article's page (its path and first publication), read from the database only when
    something asks for one of them: discussion's closing rules do only when the site closes
    comments by age (discussion.closing)."""

    def read() -> Page:
        found = Page.objects.only("id", "path", "first_published_at").filter(pk=article_id).first()
        # Deleted since the page of comments was read: a page that never closes by age.
        return found or Page(pk=article_id, path="", first_published_at=None)

    return SimpleLazyObject(read)


def article_live_id_for_url(*, url: str) -> int | None:
    """The live article at ``url`` (an absolute address or a path on the site), or None.

    A host we serve picks its Wagtail site; a bare path (or a host we do not know) is looked for
    under every site. The path is matched against the page tree's stored ``url_path``, so no
    page is routed or rendered. On a site served under a path prefix the address a reader sees
    starts with it (/news/world/...), and it is taken off first.
    """
    try:
        parts = urlsplit(url)
    except ValueError:  # an unbalanced "[" in the host, for example
        return None
    if not parts.path.startswith("/"):
        return None
    roots = Site.get_site_root_paths()  # cached by Wagtail between requests
    same_host = [root for root in roots if urlsplit(root.root_url).hostname == parts.hostname]
    path = unquote(parts.path)  # url_path holds slugs as they are, not %-encoded
    prefix = get_script_prefix()
    if prefix != "/" and path.startswith(prefix):
        path = path[len(prefix) :]
    path = path.strip("/")
    if "\x00" in path:  # a NUL would be a database error on PostgreSQL, not a miss
        return None
    url_paths = [root.root_path + path + "/" for root in same_host or roots if path]
    found = _live_public_ids(field="url_path", values=url_paths) if url_paths else []
    return found[0] if found else None


def article_live_ids(*, article_ids: list[int]) -> list[int]:
    return _live_public_ids(field="id", values=article_ids) if article_ids else []


def article_live_page(*, article_id: int) -> ArticlePage | None:
    """The live, public article ``article_id`` itself (to comment on), or None."""
    return routing.live_public_page(ArticlePage, article_id)
