"""What a reader's data download holds beyond their profile and comments.

accounts owns this registry and knows nothing of who fills it, as with ``accounts.erasures``:
moderation registers the reports the reader sent and their appeals in ``AppConfig.ready()``
(accounts never imports moderation). Each hook is called with the account's id and answers a
dict of sections (``{"reports": [...]}``), merged into the download.

The download is written out as it is read (discussion.reader_views, core.json_stream): a
section that grows with what the member did (their comments, their reports) is an iterator
rather than a list, read a page at a time (``pages``) when its turn to be written comes, so a
member with years of history is never held in memory whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.db.models import QuerySet

ExportHook = Callable[..., dict]  # called as hook(user_id=...)

# Rows a section of the download reads at a time: what it holds in memory is a page of them,
# however many the member has.
PAGE_SIZE = 500

_hooks: dict[str, ExportHook] = {}


def register(name: str, hook: ExportHook) -> None:
    _hooks[name] = hook


def unregister(name: str) -> None:
    _hooks.pop(name, None)


def collect(*, user_id: int) -> dict:
    sections: dict = {}
    for hook in list(_hooks.values()):
        sections.update(hook(user_id=user_id))
    return sections


def pages(rows: QuerySet, *, key: str = "id", same: tuple[str, ...] = ()) -> Iterator[list[dict]]:
    """``rows`` (a ``values()`` query that includes ``key``, a unique column), ``PAGE_SIZE`` at a
    time in ``key``'s order: each page a query of its own that starts after the last key seen,
    never an OFFSET (which reads again every row before it). One query a page; a page that comes
    short is the last.

    Each page is a query on its own, in autocommit: the download's later pieces may be written
    on another of the app's threads, with another database connection (core.django_threads), so
    no transaction or server-side cursor may be held from one page to the next.

    ``same`` names columns equal to ``key`` across a join (the comment's id and its review's
    ``comment_id``): each page bounds them too, as PostgreSQL does not carry a bound across a
    join, and a merge join otherwise read the other table from its start for every page."""
    size = PAGE_SIZE
    rows = rows.order_by(key)
    page = list(rows[:size])
    while page:
        yield page
        if len(page) < size:
            return
        last = page[-1][key]
        page = list(rows.filter(**{f"{name}__gt": last for name in (key, *same)})[:size])
