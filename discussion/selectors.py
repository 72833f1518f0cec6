"""Reads of threads and comments. Every query here is bounded by a page size.

A thread page is two queries however big the thread is: one keyset page of top-level comments,
and the first few replies of each of those, picked with a window function so that a comment with
thousands of replies still costs only its first few rows.

Those two queries (and the thread's own row) are written out as SQL rather than built with the
ORM: they run for every thread page, "show more comments" and API request, and Django took about
ten times longer to compile them (a window function, subqueries, a union of two keyset halves)
than the database took to answer. Every value in them is a parameter, they are the statements the
ORM wrote, and they run on SQLite and PostgreSQL alike (discussion/tests/test_indexes.py checks
their plans).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Protocol

from django.contrib.auth import get_user_model
from django.db import connections
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest
from wagtail.models import Page, PageViewRestriction

from accounts import data_exports
from core.db import Read, read_cursor, read_together
from core.privacy import MaybePrivate
from discussion.models import Comment, CommentRevision, Reaction, Thread

VISIBLE = (Comment.Status.PUBLISHED, Comment.Status.DELETED)
# Taken down by a moderator (rejected) or waiting for one (held). Such a comment is shown to its
# author (held: with its text, marked as waiting; rejected: as a notice that links to why), and
# to everyone else as an empty shell while it has a reply they can see, so that a moderator's
# decision on one comment never hides the replies under it. Without such a reply, nobody else
# sees it. A shell keeps its place and number; nothing of its text or author is read out.
TAKEN_DOWN = (Comment.Status.PENDING, Comment.Status.REJECTED)

# The orders top-level comments can be read in. Each one is a keyset over (sort key, id) read
# from its own partial index, so page 50 costs what page 1 does however big the thread.
SORTS = {
    "oldest": "Oldest first",
    "newest": "Newest first",
    "reactions": "Most recommended",
    "replies": "Most replies",
}
DEFAULT_SORT = "oldest"
_SORT_KEY = {"reactions": "reaction_count", "replies": "reply_count"}
FEATURED_SHOWN = 10
THROUGH_SHOWN = 500  # replies up to a linked one that its page shows (the link's and those before)


class Viewer(Protocol):
    """Who is reading: enough to show them their own comments that wait for review."""

    user_id: int | None
    guest_comment_ids: frozenset[int]


_LIST_FIELDS = (
    "id",
    "thread_id",
    "parent_id",
    "root_id",
    "depth",
    "path",
    "number",
    "author_id",
    "author_name",
    "author_is_staff",
    "notify_replies",
    "html",
    "status",
    "reply_count",
    "reaction_count",
    "is_featured",
    "created_at",
    "edited_at",
)


@dataclass
class ThreadPage:
    """Top-level comments, each with ``shown_replies``, ``more_replies`` and ``replies_gap``."""

    comments: list[Comment]
    # The id of the last comment for "oldest" and "newest"; "<key>.<id>" for the counted sorts.
    next_cursor: int | str | None
    has_earlier: bool
    # At most how many comments the next page holds (``_next_count``), None when not known.
    next_count: int | None = None
    parents: dict[int, Comment] = field(default_factory=dict)
    # Read by a ThreadLookup: the thread it found (None for none), and the lookup's own columns
    # after the thread's (None when it found no row at all).
    thread: Thread | None = None
    found: tuple | None = None
    # Read with a ThreadLookup when a cursor was given: whether it names a top-level comment of
    # the thread found (the API refuses one that does not). None when nothing was checked.
    cursor_found: bool | None = None


@dataclass(frozen=True)
class ThreadLookup:
    """A query that finds the thread to page through, for :func:`thread_page` to run inside the
    page's own query: one round trip for the thread and its page, not one for each.

    ``text`` selects at most one row: the thread's :func:`thread_columns` first (all NULL when
    the row has no thread), then any columns of the caller's own (``found`` of the page). The
    API's article check is one (api.selectors): with its thread as a query of its own, a page
    of the read API was two round trips, and the first one alone 0.12 ms of the app's CPU.
    """

    text: str
    params: list
    width: int  # how many columns ``text`` selects


MAX_BY_IDS = 50  # the most comments one "show new comments" request returns


def thread_for_page(*, page_id: int) -> Thread | None:
    """The page's thread (there is at most one), or None when nobody has commented yet."""
    alias = Thread.objects.db
    connection, sql = connections[alias], _sql(alias)
    with read_cursor(connection) as cursor:
        cursor.execute(sql.thread_of_page, [page_id])
        row = cursor.fetchone()
    if row is None:
        return None
    values = _converted(list(row), sql.thread_converted, connection)
    return Thread.from_db(alias, sql.thread_field_names, values)


def _thread_with_live_page(thread_id: int) -> Thread | None:
    """The thread with its article as ``page`` and whether a view restriction can apply to it
    (``maybe_private``, core.privacy), in one query; None unless the article is live."""
    thread = (
        Thread.objects.select_related("page")
        .annotate(maybe_private=MaybePrivate(F("page__path")))
        .filter(pk=thread_id)
        .first()
    )
    if thread is None or thread.page is None or not thread.page.live:
        return None
    return thread


def readable_thread(*, request: HttpRequest, thread_id: int) -> Thread | None:
    """The thread, with its article as ``page``, when this reader may read the article; else None.

    None for a thread with no article, an article that is not published, or one behind a Wagtail
    view restriction (a password, a login, a group, on the article or a section above it) that
    does not accept this request. The article page is checked as Wagtail serves it; the views
    that serve its discussion in pieces (more comments, replies, new comments, reactions, the
    live stream) ask here, so a private article's discussion is as closed as the article.
    """
    thread = _thread_with_live_page(thread_id)
    if thread is None:
        return None
    if thread.maybe_private:
        # Wagtail's own reading of the restrictions that apply (an alias page takes its
        # original's), each asked whether it lets this request in, as Wagtail's serve does.
        for restriction in thread.page.get_view_restrictions():
            if not restriction.accept_request(request):
                return None
    return thread


def comment_article(*, comment_id: int) -> Page | None:
    """The live article a published comment is on, whether or not this reader may read it.

    Only to say what signing in would open (accounts.sign_in_for), never to show the comment:
    callers that show anything ask :func:`readable_thread`. None for no such comment or article.
    """
    comment = comment_get(comment_id=comment_id)
    thread = _thread_with_live_page(comment.thread_id) if comment is not None else None
    return thread.page if thread is not None else None


def thread_readable_by_user(*, thread_id: int, user_id: int) -> bool:
    """May the account ``user_id`` read the thread's article? Asked before its text is emailed.

    :func:`readable_thread` asks this of a request; an email has no request, so here it is asked
    of an account. The article must be live, and each Wagtail view restriction that applies to it
    (on the article or a section above it; an alias takes its original's) must let the account
    in: a login lets in any active account, a group its active members, and a password nobody,
    since a password is proved in one browser's session, not by an account. Superusers and
    staff pass no restriction by rank: whoever reads the mailbox reads the email.

    One query when no restriction or alias lies on the article's path (most articles); otherwise
    Wagtail's own reading of which restrictions apply (the ancestors, one query), then one
    ``EXISTS`` asking whether any of them turns the account away.
    """
    thread = _thread_with_live_page(thread_id)
    if thread is None:
        return False
    if not thread.maybe_private:
        return True
    return not thread.page.get_view_restrictions().filter(_turns_away(user_id=user_id)).exists()


def _turns_away(*, user_id: int) -> Q:
    """The view restrictions that would not let the account ``user_id`` in, as a condition."""
    account = get_user_model().objects.filter(pk=user_id, is_active=True)
    signed_in = Exists(account)
    in_a_group = Exists(account.filter(groups__pageviewrestriction=OuterRef("pk")))
    return (
        Q(restriction_type=PageViewRestriction.PASSWORD)
        | (Q(restriction_type=PageViewRestriction.LOGIN) & ~Q(signed_in))
        | (Q(restriction_type=PageViewRestriction.GROUPS) & ~Q(in_a_group))
    )


def thread_columns(*, alias: str, table: str) -> str:
    """The thread's columns as :func:`thread_from_row` takes them, each qualified by ``table``
    (the name a caller's query gives the thread table, such as a LEFT JOIN's alias)."""
    quote = connections[alias].ops.quote_name
    return ", ".join(f"{quote(table)}.{quote(f.column)}" for f in Thread._meta.concrete_fields)


def thread_from_row(values: tuple, *, alias: str) -> Thread | None:
    """The thread whose :func:`thread_columns` are ``values``; None when its id is NULL (a LEFT
    JOIN found no thread: nobody has commented yet)."""
    if values[0] is None:
        return None
    connection, sql = connections[alias], _sql(alias)
    return Thread.from_db(
        alias, sql.thread_field_names, _converted(list(values), sql.thread_converted, connection)
    )


def comments_waiting_count() -> int:
    """How many comments on the site are held for a moderator (pending), whoever wrote them."""
    return Comment.objects.filter(status=Comment.Status.PENDING).count()


def comments_under_page_count(*, page: Page) -> int:
    """How many comments, whatever their state, are on ``page`` and the pages beneath it: what
    deleting it would leave without an article (their threads are kept). One query."""
    return Comment.objects.filter(thread__page__path__startswith=page.path).count()


def comment_counts_for_pages(page_ids: list[int]) -> dict[int, int]:
    """Published comment counts keyed by page id; pages with no thread are left out."""
    if not page_ids:
        return {}
    return dict(Thread.objects.filter(page_id__in=page_ids).values_list("page_id", "comment_count"))


def _visible(queryset: QuerySet[Comment], viewer: Viewer | None = None) -> QuerySet[Comment]:
    """Published comments and deleted shells, the viewer's own held or rejected comments, and
    everyone else's held or rejected ones that have replies to show (see ``TAKEN_DOWN``).

    A held comment is shown to its author (marked as waiting), so nobody's words vanish after
    they press Post, and a rejected one as a notice that says so. The thread page's own SQL
    states the same rule in ``_visible_sql``: change both together.
    """
    has_reply = Exists(Comment.objects.filter(parent_id=OuterRef("pk"), status__in=VISIBLE))
    condition = Q(status__in=VISIBLE) | (
        Q(status__in=TAKEN_DOWN) & (Q(reply_count__gt=0) | Q(has_reply))
    )
    if viewer is not None and viewer.user_id is not None:
        condition |= Q(status__in=TAKEN_DOWN, author_id=viewer.user_id)
    if viewer is not None and viewer.guest_comment_ids:
        condition |= Q(status__in=TAKEN_DOWN, pk__in=viewer.guest_comment_ids)
    return queryset.filter(condition).only(*_LIST_FIELDS)


def _owned(comment: Comment, viewer: Viewer | None) -> bool:
    """``discussion.identity.Commenter.owns``, for any viewer."""
    if viewer is None:
        return False
    if comment.author_id is not None:
        return viewer.user_id is not None and comment.author_id == viewer.user_id
    return comment.pk in viewer.guest_comment_ids


def _emptied_shells(comments: list[Comment], viewer: Viewer | None) -> list[Comment]:
    """Take the text and author's name out of the held or rejected comments among ``comments``
    that are not the viewer's (shells kept for their replies): whatever draws them (the page,
    the API, "in reply to", a replies page's title) then has nothing of them to show. These are
    read-only copies; nothing saves them."""
    for comment in comments:
        if comment.status in TAKEN_DOWN and not _owned(comment, viewer):
            comment.author_name = ""
            comment.html = ""
    return comments


def comment_get(*, comment_id: int, viewer: Viewer | None = None) -> Comment | None:
    comment = _visible(Comment.objects.filter(pk=comment_id), viewer).first()
    if comment is not None:
        _emptied_shells([comment], viewer)
    return comment


def sort_or_default(raw: object) -> str:
    """A known sort name; anything else reads as the default (never an error)."""
    return raw if isinstance(raw, str) and raw in SORTS else DEFAULT_SORT


def _parse_cursor(sort: str, after: int | str | None) -> tuple[int, ...] | None:
    """(id,) or (key, id) from a cursor; a malformed cursor reads as none (the first page).

    Any number a 64-bit column holds is taken, as the API's parameters take it (api.params): a
    19-digit id read as no cursor at all, and so as the first page again."""
    if after is None or after == "":
        return None
    parts = str(after).split(".")
    expected = 2 if sort in _SORT_KEY else 1
    if len(parts) != expected or not all(_is_column_number(part) for part in parts):
        return None
    return tuple(int(part) for part in parts)


def _is_column_number(part: str) -> bool:
    return part.isascii() and part.isdigit() and len(part) <= 19 and int(part) <= _MAX_BIGINT


_MAX_BIGINT = 2**63 - 1


class _Sql:
    """The fixed parts of the thread page's SQL, quoted for one database (see the module's note)."""

    def __init__(self, alias: str) -> None:
        connection = connections[alias]
        quote = connection.ops.quote_name
        # The columns ``_visible`` keeps (its .only()), in the model's order, as from_db wants.
        fields = [f for f in Comment._meta.concrete_fields if f.attname in _LIST_FIELDS]
        self.field_names = tuple(f.attname for f in fields)
        self.column = {f.attname: quote(f.column) for f in Comment._meta.concrete_fields}
        self.table = quote(Comment._meta.db_table)
        self.columns = ", ".join(self.column[f.attname] for f in fields)
        # Which of them the database hands back in another form (SQLite: datetimes as text).
        self.converted = [
            (index, col)
            for index, col in enumerate(f.get_col(Comment._meta.db_table) for f in fields)
            if connection.ops.get_db_converters(col) or col.get_db_converters(connection)
        ]
        self.select = f"SELECT {self.columns} FROM {self.table}"  # noqa: S608 (names, not values)
        thread_fields = Thread._meta.concrete_fields
        self.thread_field_names = tuple(f.attname for f in thread_fields)
        self.thread_converted = [
            (index, col)
            for index, col in enumerate(f.get_col(Thread._meta.db_table) for f in thread_fields)
            if connection.ops.get_db_converters(col) or col.get_db_converters(connection)
        ]
        thread_columns = ", ".join(quote(f.column) for f in thread_fields)
        # A ThreadLookup's row, as the page's query names it (see _page_with_first_replies).
        self.found = quote("found")
        self.found_thread_id = f"(SELECT {quote('found0')} FROM {self.found})"  # noqa: S608
        self.thread_of_page = (
            f"SELECT {thread_columns} FROM {quote(Thread._meta.db_table)} "  # noqa: S608
            f"WHERE {quote(Thread._meta.get_field('page').column)} = %s"
        )
        # Whether the id a cursor carries is a top-level comment of a ThreadLookup's thread.
        self.cursor_in_found = (
            f"EXISTS (SELECT 1 FROM {self.table} {quote('cursor')} "  # noqa: S608
            f"WHERE {quote('cursor')}.{self.column['id']} = %s "
            f"AND {quote('cursor')}.{self.column['thread_id']} = {self.found}.{quote('found0')} "
            f"AND {quote('cursor')}.{self.column['depth']} = 0)"
        )
        # A top-level comment's place in its thread, from the id a cursor or a link carries.
        self.number_of = (
            f"(SELECT {quote('cursor')}.{self.column['number']} FROM {self.table} "  # noqa: S608
            f"{quote('cursor')} WHERE {quote('cursor')}.{self.column['id']} = %s)"
        )
        self.alias = {
            name: quote(name) for name in ("half0", "half1", "ranked", "page", "kind", "place")
        }
        # Has the comment (the unaliased comment table) a reply every reader sees? Its status
        # values are parameters, VISIBLE's.
        child, column = quote("child"), self.column
        self.has_reply = (
            f"({column['reply_count']} > 0 OR EXISTS (SELECT 1 FROM {self.table} {child} "  # noqa: S608
            f"WHERE {child}.{column['parent_id']} = {self.table}.{column['id']} "
            f"AND {child}.{column['status']} IN (%s, %s)))"
        )


@functools.cache
def _sql(alias: str) -> _Sql:
    return _Sql(alias)


def _visible_sql(sql: _Sql, viewer: Viewer | None) -> tuple[str, list]:
    """``_visible``'s condition as SQL: published and deleted, held or rejected with a reply to
    show, and the viewer's own held or rejected. The comment is the unaliased comment table.

    Whether a held or rejected comment has a reply to show is read from its own row for a
    top-level comment (``reply_count``, the replies every reader sees at any depth), and for a
    reply from its children (the parent index): only such rows, few in any thread, ask.
    (discussion/tests/test_held_own_comments.py and test_taken_down_shells.py check it.)
    """
    column, status = sql.column, sql.column["status"]
    condition = f"{status} IN (%s, %s) OR ({status} IN (%s, %s) AND {sql.has_reply})"
    params: list = [*VISIBLE, *TAKEN_DOWN, *VISIBLE]
    if viewer is not None and viewer.user_id is not None:
        condition += f" OR ({status} IN (%s, %s) AND {column['author_id']} = %s)"
        params += [*TAKEN_DOWN, viewer.user_id]
    if viewer is not None and viewer.guest_comment_ids:
        ids = sorted(viewer.guest_comment_ids)
        marks = ", ".join(["%s"] * len(ids))
        condition += f" OR ({status} IN (%s, %s) AND {column['id']} IN ({marks}))"
        params += [*TAKEN_DOWN, *ids]
    return f"({condition})", params


def _page_query(
    *,
    thread: Thread | ThreadLookup,
    viewer: Viewer | None,
    sort: str,
    position: tuple[int, ...] | None,
    start_at: int | None,
    count: int,
    db: str | None = None,
) -> tuple[str, list, str]:
    """The query of the first ``count`` top-level comments in ``sort`` order strictly after
    ``position``: its text (``_Sql.columns`` selected), its parameters, and its order (as
    ``ORDER BY`` takes it, in the bare column names the query selects).

    Oldest and newest first read the top-level comments by ``number``, which rises with the date
    within a thread (an import renumbers what it adds: services.thread_number_by_date). Ordered
    by id, PostgreSQL would rather walk the primary key backwards and filter by thread, reading
    every newer comment of every other thread first (60 ms for a page of a 10,000-comment thread
    beside 300,000 newer ones, against 0.1 ms on the thread's index).
    The cursor stays a comment id; its number is looked up in the same query. ``start_at`` (a
    comment id, oldest first only) starts the page at that comment.

    ``depth = 0`` is written into the SQL, not passed as a parameter, so that both databases see
    at planning time that the partial indexes on top-level comments apply. A ThreadLookup's
    thread is the lookup's row (``_page_with_first_replies`` adds it to the query). ``db`` is the
    database alias the page is read from, when the caller has it already (see ``thread_page``).
    """
    sql = _sql(db or Comment.objects.db)
    column = sql.column
    visible, params = _visible_sql(sql, viewer)
    if isinstance(thread, ThreadLookup):
        where = f"{column['thread_id']} = {sql.found_thread_id}"
    else:
        where = f"{column['thread_id']} = %s"
        params = [thread.pk, *params]
    where += f" AND {column['depth']} = 0 AND {visible}"
    if sort in ("oldest", "newest"):
        if sort == "oldest" and position:
            where += f" AND {column['number']} > COALESCE({sql.number_of}, 0)"
            params.append(position[0])
        elif sort == "oldest" and start_at is not None:
            where += f" AND {column['number']} >= COALESCE({sql.number_of}, 0)"
            params.append(start_at)
        elif position:
            where += f" AND {column['number']} < COALESCE({sql.number_of}, {_NO_NUMBER})"
            params.append(position[0])
        order = column["number"] + (" DESC" if sort == "newest" else "")
        return f"{sql.select} WHERE {where} ORDER BY {order} LIMIT %s", [*params, count], order
    key = column[_SORT_KEY[sort]]
    order = f"{key} DESC, {column['id']} DESC"
    # Most first, newest first among equals: a backward scan of (thread, key, id).
    if not position:
        return f"{sql.select} WHERE {where} ORDER BY {order} LIMIT %s", [*params, count], order
    text, params = _after_counted(sql, where, params, key, position, count)
    return text, params, order


_NO_NUMBER = 2**31 - 1  # above any top-level number: a cursor that names no comment reads as none


class CommentRow(SimpleNamespace):
    """A comment as the thread page's SQL reads it, without a model instance: the model's field
    names as plain attributes (``pk`` too), for readers that only read them. The API's answer is
    built from these (making the model instances was a tenth of its request)."""

    @property
    def pk(self) -> int:
        return self.id


def _rows(text: str, params: list, plain: bool = False) -> list[Comment]:
    """The comments that ``text`` selects (``_Sql.columns`` first), as model instances, or with
    ``plain`` as :class:`CommentRow`.

    What ``Comment.objects.raw()`` does, less its bookkeeping per query and per row (a third of
    the time of a page of replies): the columns are known, so only the database's converters
    for them are left to apply.
    """
    return _comments_of(_fetch(text, params), plain)


def _fetch(text: str, params: list, *, db: str | None = None) -> list[tuple]:
    # Comments' and threads' columns (and a ThreadLookup's) are numbers, text, booleans and
    # times: read in binary (core.db.read_cursor).
    with read_cursor(connections[db or Comment.objects.db], binary=True) as cursor:
        cursor.execute(text, params)
        return cursor.fetchall()


def _comments_of(rows: list[tuple], plain: bool, *, db: str | None = None) -> list[Comment]:
    """``rows`` (``_Sql.columns`` first; any further columns are left out) as comments, read
    from the database ``db`` (by default the one comments are read from)."""
    if not rows:  # a page's replies, where its comments have none
        return []
    alias = db or Comment.objects.db
    connection, sql = connections[alias], _sql(alias)
    converters = _converters(sql.converted, connection)
    width, names = len(sql.field_names), sql.field_names
    if plain and not converters:
        # PostgreSQL's rows need no converting: each row goes straight into its names (zip stops
        # at the last of them). The read API's page of 21 comments took 0.021 ms so, 0.034 by
        # the loop below.
        plain_rows = []
        for row in rows:
            comment = CommentRow()
            comment.__dict__.update(zip(names, row))  # noqa: B905
            plain_rows.append(comment)
        return plain_rows
    comments = []
    for row in rows:
        values = list(row[:width])
        for index, col, functions in converters:
            for convert in functions:
                values[index] = convert(values[index], col, connection)
        comments.append(
            CommentRow(**dict(zip(names, values, strict=True)))
            if plain
            else Comment.from_db(alias, names, values)
        )
    return comments


def _converters(converted: list, connection) -> list:
    return [
        (index, col, connection.ops.get_db_converters(col) + col.get_db_converters(connection))
        for index, col in converted
    ]


def _converted(values: list, converted: list, connection) -> list:
    """One row's values in the form the model's fields hold them (SQLite hands back text)."""
    for index, col, functions in _converters(converted, connection):
        for convert in functions:
            values[index] = convert(values[index], col, connection)
    return values


def _after_counted(
    sql: _Sql,
    where: str,
    params: list,
    key: str,
    position: tuple[int, ...],
    count: int,
) -> tuple[str, list]:
    """``count`` comments after (key, id) = ``position`` in (key desc, id desc) order, one query
    (its text and parameters).

    Most comments of a big thread tie on 0 reactions, so the cursor usually sits inside a long
    run of equal keys. ``key < k OR (key = k AND id < i)`` makes SQLite start that run from its
    top and skip every entry already read (page 300 was 20 times slower than page 1), so the two
    halves are written as two index ranges, each with its own LIMIT, and the few rows they give
    are merged: (key = k, id < i) and (key < k). PostgreSQL runs the same SQL the same way.
    """
    value, last_id = position
    id_column = sql.column["id"]
    halves = (
        f"{sql.select} WHERE {where} AND {key} = %s AND {id_column} < %s "
        f"ORDER BY {id_column} DESC LIMIT %s",
        f"{sql.select} WHERE {where} AND {key} < %s ORDER BY {key} DESC, {id_column} DESC LIMIT %s",
    )
    text = " UNION ALL ".join(
        f"SELECT * FROM ({half}) {sql.alias[f'half{number}']}"  # noqa: S608
        for number, half in enumerate(halves)
    )
    return (
        f"{text} ORDER BY {key} DESC, {id_column} DESC LIMIT %s",
        [*params, value, last_id, count, *params, value, count, count],
    )


def _cursor_of(comment: Comment, sort: str) -> int | str:
    if sort in _SORT_KEY:
        return f"{getattr(comment, _SORT_KEY[sort])}.{comment.pk}"
    return comment.pk


def _next_count(
    comments: list, *, thread: Thread | None, sort: str, limit: int, from_start: bool
) -> int | None:
    """At most how many top-level comments the page after ``comments`` holds, for "Show more
    comments" to hold about the room they need while they come (site.js), not a whole screen
    when a few are left. Read from what is at hand, without a count: a top-level comment's
    ``number`` is its place oldest first, and ``top_level_count`` is past the largest. A number
    left by a comment removed or waiting for review counts, so it is never fewer than come (the
    room held is then a little more than they need, not less). None for a later page of the
    counted sorts, whose cursor does not say how many went before.
    """
    if not comments or thread is None:
        return None
    last = comments[-1].number or 0
    if sort == "oldest":
        left = thread.top_level_count - last
    elif sort == "newest":
        left = last - 1
    elif from_start:
        left = thread.top_level_count - len(comments)
    else:
        return None
    return min(max(left, 1), limit)


def thread_page(
    *,
    thread: Thread | ThreadLookup,
    after: int | str | None = None,
    start_at: int | None = None,
    limit: int,
    replies_shown: int,
    include_replies_through: Comment | None = None,
    viewer: Viewer | None = None,
    sort: str = DEFAULT_SORT,
    plain: bool = False,
) -> ThreadPage:
    """Top-level comments in ``sort`` order after the cursor ``after`` (or from ``start_at``).

    ``start_at`` (a comment's own place, for links to it) applies to the oldest-first order only;
    every comment keeps its ``number`` whatever the order, so the list shows the same numbers.
    With ``plain`` the comments and their replies are :class:`CommentRow`, not model instances
    (for the API; a page linked to one reply needs the models). ``thread`` may be a
    :class:`ThreadLookup`, run in the same query: the page then says which thread it found
    (``thread``, None for none) and what else the lookup read (``found``, None for no row).
    """
    if plain and include_replies_through is not None:
        raise ValueError("A page through a linked reply is made of model instances.")
    sort = sort_or_default(sort)
    position = _parse_cursor(sort, after)
    lookup = thread if isinstance(thread, ThreadLookup) else None
    # The router is asked once for the page and its parts are handed the answer: each
    # ``Comment.objects.db`` asks it again (about a microsecond; a page asked seven times).
    alias = Comment.objects.db
    rows, replies, found = _page_with_first_replies(
        _page_query(
            thread=thread,
            viewer=viewer,
            sort=sort,
            position=position,
            start_at=start_at,
            count=limit + 1,
            db=alias,
        ),
        replies_shown=replies_shown,
        viewer=viewer,
        plain=plain,
        lookup=lookup,
        cursor_id=position[-1] if position else None,
        db=alias,
    )
    cursor_found = None
    if lookup is not None:
        width = len(_sql(alias).thread_field_names)
        if found is not None and position:
            found, cursor_found = found[:-1], bool(found[-1])
        thread = thread_from_row(found[:width], alias=alias) if found is not None else None
        found = found[width:] if found is not None else None
    next_cursor = _cursor_of(rows[limit - 1], sort) if len(rows) > limit else None
    comments = rows[:limit]
    _attach_replies(
        comments,
        replies,
        through=include_replies_through,
        viewer=viewer,
    )
    has_earlier = position is not None or (start_at is not None and sort == DEFAULT_SORT)
    next_count = None
    if next_cursor is not None:
        next_count = _next_count(
            comments, thread=thread, sort=sort, limit=limit, from_start=not has_earlier
        )
    return ThreadPage(
        comments=comments,
        next_cursor=next_cursor,
        has_earlier=has_earlier,
        next_count=next_count,
        thread=thread,
        found=found,
        cursor_found=cursor_found,
    )


def reacted_ids(*, reader_keys: Iterable[str], comment_ids: list[int]) -> set[int]:
    """Which of ``comment_ids`` the reader has reacted to under any of ``reader_keys`` (a
    member's account and their browser's guest cookie: ``views._reader_keys``). One query; none
    without a key."""
    keys = [key for key in reader_keys if key]
    if not keys or not comment_ids:
        return set()
    return set(
        Reaction.objects.filter(reader_key__in=keys, comment_id__in=comment_ids).values_list(
            "comment_id", flat=True
        )
    )


def featured_comments(*, thread: Thread, limit: int = FEATURED_SHOWN) -> list[Comment]:
    """The thread's published featured comments, oldest first, at most ``limit`` of them."""
    return list(
        Comment.objects.filter(thread=thread, is_featured=True, status=Comment.Status.PUBLISHED)
        .only("id", "author_id", "author_name", "html", "created_at", "number", "depth")
        .order_by("id")[: min(limit, FEATURED_SHOWN)]
    )


def _attach_replies(
    comments: list[Comment],
    replies: list[Comment],
    *,
    through: Comment | None,
    viewer: Viewer | None = None,
) -> None:
    """Give each comment its first ``replies`` (those of other roots are left out) in reading
    order, and how many more there are."""
    by_id = {comment.pk: comment for comment in comments}
    for comment in comments:
        comment.shown_replies = []
        comment.replies_gap = None
    if not comments:
        return
    replies = [reply for reply in replies if reply.root_id in by_id]
    gap = None
    if through is not None and through.root_id in by_id:
        replies, gap = _with_replies_through(replies, through=through, viewer=viewer)
    _emptied_shells(comments, viewer)
    if replies:
        _emptied_shells(replies, viewer)
        names = {comment.pk: comment.author_name for comment in comments}
        names.update({reply.pk: reply.author_name for reply in replies})
        for reply in replies:
            reply.parent_name = names.get(reply.parent_id, "")
            by_id[reply.root_id].shown_replies.append(reply)
    # ``reply_count`` counts the replies every reader sees (published ones, and a deleted one
    # kept as a shell for its replies), so only those are taken from it: the reader's own reply
    # that waits for review is shown to them but was never counted. A comment with no replies
    # shown (every one on a page of a thread without replies) skips the counting.
    for comment in comments:
        shown = comment.shown_replies
        if shown:
            comment.more_replies = max(comment.reply_count - _counted(shown), 0)
            comment.replies_cursor = shown[-1].path
        else:
            comment.more_replies = max(comment.reply_count, 0)
            comment.replies_cursor = ""
    if gap is not None:
        root = by_id[through.root_id]
        gap.earlier, gap.later = root.shown_replies[: gap.split], root.shown_replies[gap.split :]
        root.replies_gap = gap
        root.more_replies = max(root.more_replies - gap.counted, 0)


def _counted(replies: list[Comment]) -> int:
    """How many of ``replies`` their root's ``reply_count`` counts (those in ``VISIBLE``)."""
    return sum(1 for reply in replies if reply.status in VISIBLE)


@dataclass
class RepliesGap:
    """Replies a link's page leaves out, between a root's first replies and the linked one's.

    The page shows ``earlier``, then a control to read the ``count`` replies whose paths lie
    strictly between ``after`` and ``before`` (``replies_page`` reads them), then ``later``.
    """

    count: int
    counted: int  # how many of them the root's ``reply_count`` counts (see ``_counted``)
    after: str  # the path of the last reply shown before the gap
    before: str  # the path of the first reply shown after it
    split: int  # how many of the root's shown replies come before the gap
    earlier: list[Comment] = field(default_factory=list)
    later: list[Comment] = field(default_factory=list)


def _with_replies_through(
    replies: list[Comment], *, through: Comment, viewer: Viewer | None
) -> tuple[list[Comment], RepliesGap | None]:
    """``replies`` (the roots' first ones) with the linked reply and those just before it.

    However far down its sub-thread the linked reply is, it comes with up to ``THROUGH_SHOWN``
    replies before it. One row more is read to tell whether that block reaches back to the
    root's first replies; when it does not, the replies between are a gap, counted (the only
    extra query, and only then) for the control that shows them.
    """
    first = [reply for reply in replies if reply.root_id == through.root_id]
    seen = {reply.pk for reply in first}
    rows = list(
        _visible(
            Comment.objects.filter(root_id=through.root_id, path__lte=through.path), viewer
        ).order_by("-path")[: THROUGH_SHOWN + 1]
    )
    block = [reply for reply in rows[:THROUGH_SHOWN] if reply.pk not in seen]
    gap = None
    # The first replies are the root's earliest, so a reply before the block that is not among
    # them lies after them: something is left out between the two.
    if len(rows) > THROUGH_SHOWN and rows[THROUGH_SHOWN].pk not in seen and first and block:
        after, before = first[-1].path, block[-1].path
        counts = _visible(
            Comment.objects.filter(root_id=through.root_id, path__gt=after, path__lt=before),
            viewer,
        ).aggregate(count=Count("pk"), counted=Count("pk", filter=Q(status__in=VISIBLE)))
        gap = RepliesGap(**counts, after=after, before=before, split=len(first))
    merged = replies + block
    merged.sort(key=lambda reply: (reply.root_id, reply.path))
    return merged, gap


def _page_with_first_replies(
    page: tuple[str, list, str],
    *,
    replies_shown: int,
    viewer: Viewer | None,
    plain: bool,
    lookup: ThreadLookup | None = None,
    cursor_id: int | None = None,
    db: str | None = None,
) -> tuple[list[Comment], list[Comment], tuple | None]:
    """The top-level comments that ``page`` (``_page_query``) selects, in its order, and the
    first ``replies_shown`` visible replies of each in (root, reading) order: one query. With a
    ``lookup``, the lookup's row too (None when it found none), from the same query; with a
    ``cursor_id`` as well, that row ends with whether ``cursor_id`` is a top-level comment of the
    thread it found (a primary-key probe in the same query).

    The page is a common table expression; the replies are those whose root is on it, ranked
    within each root by path (the replies index, ``comment_replies``). Each row says which of
    the two it is, and where it goes: a top-level comment its place in the page's order, a reply
    its root. A lookup is one more common table expression, ahead of the page (which reads its
    thread from it), and every row of the answer starts with the lookup's row: a LEFT JOIN, so
    that a thread with nothing to show still answers its one row. ``db``: as for ``_page_query``.
    """
    db = db or Comment.objects.db
    sql = _sql(db)
    column, alias = sql.column, sql.alias
    page_text, page_params, order = page
    visible, visible_params = _visible_sql(sql, viewer)
    rows_text = (
        f"SELECT {sql.columns}, 0 AS {alias['kind']}, "  # noqa: S608 (names, not values)
        f"ROW_NUMBER() OVER (ORDER BY {order}) AS {alias['place']} FROM {alias['page']} "
        f"UNION ALL SELECT * FROM (SELECT {sql.columns}, 1 AS {alias['kind']}, "
        f"ROW_NUMBER() OVER (PARTITION BY {column['root_id']} ORDER BY {column['path']}) "
        f"AS {alias['place']} FROM {sql.table} WHERE {column['root_id']} IN "
        f"(SELECT {column['id']} FROM {alias['page']}) AND {visible}) {alias['ranked']} "
        f"WHERE {alias['place']} <= %s"
    )
    params = [*page_params, *visible_params, replies_shown]
    found = None
    if lookup is None:
        text = f"WITH {alias['page']} AS ({page_text}) {rows_text}"
        rows = _fetch(text, params, db=db)
    else:
        found_names, rows_alias = _found_names(db, lookup.width)
        head, head_params = f"{sql.found}.*", []
        if cursor_id is not None:
            head, head_params = f"{head}, {sql.cursor_in_found}", [cursor_id]
        text = (
            f"WITH {sql.found}({found_names}) AS ({lookup.text}), "  # noqa: S608
            f"{alias['page']} AS ({page_text}) "
            f"SELECT {head}, {rows_alias}.* FROM {sql.found} "
            f"LEFT JOIN ({rows_text}) {rows_alias} ON 1 = 1"
        )
        rows = _fetch(
            text, [*lookup.params, *page_params, *head_params, *params[len(page_params) :]], db=db
        )
        if rows:
            width = lookup.width + len(head_params)
            found = rows[0][:width]
            # No comment to show: the LEFT JOIN's one row, its comment's columns all NULL.
            rows = [row[width:] for row in rows] if rows[0][width] is not None else []
    kind = len(sql.field_names)
    roots = sorted((row for row in rows if not row[kind]), key=lambda row: row[kind + 1])
    replies = [row for row in rows if row[kind]]
    root_id, path = sql.field_names.index("root_id"), sql.field_names.index("path")
    replies.sort(key=lambda row: (row[root_id], row[path]))
    return _comments_of(roots, plain, db=db), _comments_of(replies, plain, db=db), found


@functools.cache
def _found_names(alias: str, width: int) -> tuple[str, str]:
    """A ThreadLookup's columns as the page's query names them (``found0``... in order), and the
    name it gives the comment rows it joins to the lookup's row."""
    quote = connections[alias].ops.quote_name
    return ", ".join(quote(f"found{index}") for index in range(width)), quote("rows")


@dataclass
class RepliesPage:
    """A page of one root's replies, and how many its next control says are left."""

    replies: list[Comment]
    has_more: bool
    # How many follow ``replies``, counted as the article page counts for the same control: for
    # "Show N more replies" those the root's ``reply_count`` counts (``more_replies``), for a
    # gap's "Show N earlier replies" every reply the reader may see up to the gap's end
    # (``RepliesGap.count``). Replies already on the reader's page are not counted. 0 when none
    # follow.
    remaining: int
    # How many of ``replies`` were not on the reader's page: those the answer brings.
    arrived: int = 0


def replies_page(
    *,
    root: Comment,
    after_path: str,
    limit: int,
    viewer: Viewer | None = None,
    before_path: str = "",
    on_screen: frozenset[int] = frozenset(),
) -> RepliesPage:
    """Replies of ``root`` after ``after_path`` in reading order, and how many more follow.

    With ``before_path``, only those before it: the replies of a gap a link's page left out.
    Three queries (the page, its parents' names, and, while more follow, the count of those,
    a range of the replies index), however long the sub-thread.

    ``on_screen`` are replies the reader's page already shows out of their place, at the end of
    the list: one they posted there, or one live updates put in. The page holds ``limit``
    replies besides them, and those of them that fall among these (to go in their place, where
    the page's copy gives way); the count of those left leaves them out, so the next control
    says how many replies pressing it will bring.
    """
    replies = Comment.objects.filter(root_id=root.pk, path__gt=after_path)
    if before_path:
        replies = replies.filter(path__lt=before_path)
    read = limit + len(on_screen) + 1
    rows = _emptied_shells(list(_visible(replies, viewer).order_by("path")[:read]), viewer)
    shown: list[Comment] = []
    arrived = 0
    has_more = False
    for reply in rows:
        if reply.pk not in on_screen:
            if arrived == limit:
                has_more = True
                break
            arrived += 1
        shown.append(reply)
    names = _names_of({reply.parent_id for reply in shown}, viewer)
    for reply in shown:
        reply.parent_name = names.get(reply.parent_id, "")
    remaining = 0
    if has_more:
        last = shown[-1].path if shown else after_path
        rest = Comment.objects.filter(root_id=root.pk, path__gt=last)
        if on_screen:
            rest = rest.exclude(pk__in=on_screen)
        if before_path:
            remaining = _visible(rest.filter(path__lt=before_path), viewer).count()
        else:
            remaining = rest.filter(status__in=VISIBLE).count()
    return RepliesPage(replies=shown, has_more=has_more, remaining=remaining, arrived=arrived)


def reply_following(*, reply: Comment, viewer: Viewer | None = None) -> int | None:
    """The id of the reply that comes next after ``reply`` under its root, in reading order as
    ``viewer`` sees the replies; None when ``reply`` comes last. One query."""
    following = _visible(Comment.objects.filter(root_id=reply.root_id, path__gt=reply.path), viewer)
    return following.order_by("path").values_list("pk", flat=True).first()


def _names_of(comment_ids: set[int], viewer: Viewer | None) -> dict[int, str]:
    """The author's name of each of ``comment_ids`` (for "in reply to"), one query; "" for a
    held or rejected comment that is not the viewer's (see ``_emptied_shells``)."""
    parents = Comment.objects.filter(pk__in=comment_ids).only(
        "id", "author_name", "status", "author_id"
    )
    return {parent.pk: parent.author_name for parent in _emptied_shells(list(parents), viewer)}


def comments_by_author(*, user_id: int, limit: int = 50) -> list[Comment]:
    """A reader's published comments, newest first, with their thread's title (for profiles).

    Only those under a published article that anyone may read, or under one since deleted
    that anyone could read until then (its thread keeps the headline it last had, and
    ``thread.page_id`` is None: there is no article to link to). A reader's public profile does
    not show what they said under a private (or withdrawn) article, nor its headline, before or
    after the article is deleted.
    """
    return list(
        Comment.objects.filter(author_id=user_id, status=Comment.Status.PUBLISHED)
        .filter(Q(thread__page__live=True) | Q(thread__page__isnull=True, thread__listed=True))
        .alias(private=MaybePrivate(F("thread__page__path")))
        .filter(private=False)
        .select_related("thread")
        .only("id", "html", "created_at", "edited_at", "thread__title", "thread__page")
        .annotate(article_live=F("thread__page__live"))
        .order_by("-id")[:limit]
    )


def comments_not_shown_of_author(*, user_id: int, limit: int = 50) -> list[Comment]:
    """A reader's own comments that others cannot see (waiting for review, or removed by a
    moderator), newest first, with their thread's title: for their own profile only."""
    return list(
        Comment.objects.filter(
            author_id=user_id,
            status__in=(Comment.Status.PENDING, Comment.Status.REJECTED),
        )
        .select_related("thread")
        .only("id", "html", "status", "created_at", "thread__title", "thread__page")
        # Unpublished, its article (and so the comment's link) is a 404: named, not linked.
        .annotate(article_live=F("thread__page__live"))
        .order_by("-id")[:limit]
    )


def comments_for_export(*, user_id: int) -> Iterator[dict]:
    """Everything about a reader's comments, for their data export (every status), each with
    its text before each of their edits, and before they deleted it when replies keep its shell
    (``CommentRevision``, kept for moderators), oldest first.

    Read a page at a time as the download is written (``accounts.data_exports.pages``: a member
    may have tens of thousands): two queries a page, the comments and their earlier texts,
    however many comments there are."""
    for rows in data_exports.pages(
        Comment.objects.filter(author_id=user_id).values(
            "id",
            "thread__title",
            "status",
            "body",
            "created_at",
            "edited_at",
            "parent_id",
            "notify_replies",
        )
    ):
        earlier: dict[int, list[dict]] = {}
        for revision in (
            # The page's id range, their author's only: three parameters rather than 500 ids.
            CommentRevision.objects.filter(
                comment__author_id=user_id,
                comment_id__gte=rows[0]["id"],
                comment_id__lte=rows[-1]["id"],
            )
            .order_by("comment_id", "id")
            .values("comment_id", "body", "written_at", "replaced_at")
        ):
            earlier.setdefault(revision["comment_id"], []).append(
                {
                    "body": revision["body"],
                    "written_at": revision["written_at"].isoformat(),
                    "replaced_at": revision["replaced_at"].isoformat(),
                }
            )
        for row in rows:
            yield {
                "id": row["id"],
                "article": row["thread__title"],
                "status": row["status"],
                "body": row["body"],
                "created_at": row["created_at"].isoformat(),
                "edited_at": row["edited_at"].isoformat() if row["edited_at"] else None,
                "in_reply_to": row["parent_id"],
                # The comment's own switch (Mute reply emails); the profile's choice comes first.
                "reply_emails": row["notify_replies"],
                "earlier_versions": earlier.get(row["id"], []),
            }


def reactions_for_export(*, reader_key: str) -> Iterator[dict]:
    """The comments a reader has recommended, oldest first, for their data export: each comment's
    id and thread's title, when they recommended it and from which network (none without a
    key). Read a page at a time as the download is written (``accounts.data_exports.pages``)."""
    if not reader_key:
        return
    for rows in data_exports.pages(
        Reaction.objects.filter(reader_key=reader_key).values(
            "id", "comment_id", "comment__thread__title", "created_at", "network"
        )
    ):
        for row in rows:
            yield {
                "comment_id": row["comment_id"],
                "article": row["comment__thread__title"],
                "created_at": row["created_at"].isoformat(),
                # The network it came from (IP_RETENTION_DAYS), "" once cleared or never recorded.
                "network": row["network"] or "",
            }


def comments_by_ids(
    *, thread: Thread, ids: list[int], viewer: Viewer | None = None
) -> list[Comment]:
    """The visible comments of ``thread`` among ``ids`` (at most a page), oldest first.

    For the live "new comments" button: each comes with its parent's name and no replies, ready
    for the comment template; a reply also with the id of the reply that follows it in reading
    order (``place_before``, as ``reply_following`` finds it, read in the same query), which
    site.js puts it before when the page shows that one, as it does a reply the reader posts.
    Two queries however many comments come (the rows, their parents' names).
    """
    following = _visible(
        Comment.objects.filter(root_id=OuterRef("root_id"), path__gt=OuterRef("path")), viewer
    )
    rows = _emptied_shells(
        list(
            _visible(Comment.objects.filter(thread_id=thread.pk, pk__in=ids[:MAX_BY_IDS]), viewer)
            .annotate(place_before=Subquery(following.order_by("path").values("pk")[:1]))
            .order_by("id")
        ),
        viewer,
    )
    parents = {row.parent_id for row in rows if row.parent_id}
    names = _names_of(parents, viewer) if parents else {}
    for row in rows:
        row.parent_name = names.get(row.parent_id, "")
        row.shown_replies = []
        row.more_replies = 0
        row.replies_cursor = ""
        row.replies_gap = None
    return rows


def comment_by_idempotency_key(*, thread_id: int, key: str) -> Comment | None:
    """The comment a submit with ``key`` already made in the thread, if any."""
    return comment_post_lookups(thread_id=thread_id, key=key, guest_name=None)[0]


def comments_by_idempotency_keys(
    *, thread_ids: Iterable[int], keys: Iterable[str]
) -> dict[tuple[int, str], tuple[int, int | None]]:
    """The comments of ``thread_ids`` whose idempotency key is one of ``keys``, as (thread id,
    key) -> (comment id, parent id): one query, for a caller that asks about many at once (an
    import's batch, which asked one query per key, two or three times each)."""
    keys = sorted(set(keys))
    thread_ids = sorted(set(thread_ids))
    if not keys or not thread_ids:
        return {}
    rows = (
        Comment.objects.filter(thread_id__in=thread_ids, idempotency_key__in=keys)
        .exclude(idempotency_key="")
        .values_list("thread_id", "idempotency_key", "id", "parent_id")
    )
    return {(thread_id, key): (pk, parent_id) for thread_id, key, pk, parent_id in rows}


_PARENT_WANTED = {"id", "thread_id", "root_id", "depth", "path", "status", "author_id"}


def comment_parent_read(*, comment_id: int) -> Read:
    """The comment a reply answers, with what a reply needs of it (its thread, root, depth,
    path, status and author), as a read to send with the post's others (core.db.read_together);
    its value is the comment, or None when there is none."""
    alias = Comment.objects.db
    quote = connections[alias].ops.quote_name
    # In the model's order of fields, as Model.from_db takes the values of some of them.
    fields = [f for f in Comment._meta.concrete_fields if f.attname in _PARENT_WANTED]
    names = [field.attname for field in fields]
    columns = ", ".join(quote(field.column) for field in fields)

    def take(row: tuple | None) -> Comment | None:
        return None if row is None else Comment.from_db(alias, names, row)

    sql = f"SELECT {columns} FROM {quote(Comment._meta.db_table)} WHERE id = %s"  # noqa: S608
    return Read(sql, [comment_id], take)


def comment_post_lookups(
    *, thread_id: int, key: str, guest_name: str | None
) -> tuple[Comment | None, bool]:
    """:func:`comment_post_lookups_read`'s answer, read on its own."""
    read = comment_post_lookups_read(thread_id=thread_id, key=key, guest_name=guest_name)
    return read_together([read], alias=Comment.objects.db)[0]


def comment_post_lookups_read(*, thread_id: int, key: str, guest_name: str | None) -> Read:
    """What a comment's post looks up before screening, in one query: the comment a submit with
    ``key`` already made in the thread (None; none for an empty key), and whether
    ``guest_name`` (a guest's, None for a member) is a member's name, a look-alike of one, or
    either with punctuation, symbols or spaces added or left out ("Demo Reader.", "demo-reader"
    beside "Demo Reader"), which guests may not use: its loose key (accounts.names.
    name_loose_key, which every name sharing a ``name_key`` shares too) is a member's. A read
    to send with the post's others (core.db.read_together), whose value is that pair.

    Asked on every comment's POST, nearly always to find nothing: the first is a bare read of
    the ``(thread, idempotency_key)`` unique index, the second of the readers' ``name_loose``
    index, prepared on PostgreSQL; the comment itself is loaded only when there is one (a
    double-clicked or retried submit). Two round trips before, for the two.
    """
    from accounts.models import Reader
    from accounts.names import name_loose_key

    connection = connections[Comment.objects.db]
    quote = connection.ops.quote_name
    # The unique index is partial (keys that are not empty): its condition is written out, as
    # the index states it, so that a plan prepared for any key can still use it (PostgreSQL) and
    # the planner sees that it applies (SQLite matches the condition's text: "<> ''" read the
    # thread's whole index instead, a scan of every comment in the thread per POST).
    existing = (
        f"(SELECT id FROM {quote(Comment._meta.db_table)} "  # noqa: S608
        "WHERE thread_id = %s AND idempotency_key = %s AND NOT (idempotency_key = '') LIMIT 1)"
    )
    taken = (
        f"EXISTS (SELECT 1 FROM {quote(Reader._meta.db_table)} "  # noqa: S608
        f"WHERE {quote(Reader._meta.get_field('name_loose').column)} = %s)"
    )
    name = name_loose_key(guest_name) if guest_name is not None else None

    def take(row: tuple) -> tuple[Comment | None, bool]:
        found, name_taken = (row[0], False) if name is None else row
        comment = Comment.objects.filter(pk=found).first() if found is not None else None
        return comment, bool(name_taken)

    if name is None:
        return Read(f"SELECT {existing}", [thread_id, key], take)  # noqa: S608
    return Read(f"SELECT {existing}, {taken}", [thread_id, key, name], take)  # noqa: S608


SITE_EXPORT_FIELDS = (
    "id",
    "thread_id",
    "parent_id",
    "author_id",
    "author_name",
    "author_email",
    "status",
    "body",
    "reaction_count",
    "created_at",
    "edited_at",
)


def comments_for_site_export(*, after_id: int, limit: int) -> list[dict]:
    """The next ``limit`` comments of the whole site after ``after_id``, by id (a reply always
    has a larger id than its parent), as rows of ``SITE_EXPORT_FIELDS``: a keyset read of the
    primary key, so exporting any number of comments holds one chunk at a time."""
    return list(
        Comment.objects.filter(pk__gt=after_id).order_by("pk").values(*SITE_EXPORT_FIELDS)[:limit]
    )


def threads_for_site_export(*, thread_ids: set[int]) -> list[dict]:
    """The threads ``thread_ids`` with their title and their page's id, slug and path, for an
    export; the page's are None for a thread whose page was deleted."""
    return list(
        Thread.objects.filter(pk__in=thread_ids)
        .order_by("pk")
        .values("id", "title", "page_id", "page__slug", "page__url_path", "is_closed")
    )
