"""Reads of threads and comments. Every query here is bounded by a page size.

A thread page is two queries however big the thread is: one keyset page of top-level comments,
and the first few replies of each of those, picked with a window function so that a comment with
thousands of replies still costs only its first few rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from django.db import connections
from django.db.models import F, Q, QuerySet, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber

from discussion.models import Comment, Reaction, Thread

VISIBLE = (Comment.Status.PUBLISHED, Comment.Status.DELETED)

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
    """One page of top-level comments, each with ``shown_replies`` and ``more_replies`` set."""

    comments: list[Comment]
    # The id of the last comment for "oldest" and "newest"; "<key>.<id>" for the counted sorts.
    next_cursor: int | str | None
    has_earlier: bool
    parents: dict[int, Comment] = field(default_factory=dict)


MAX_BY_IDS = 50  # the most comments one "show new comments" request returns


def thread_for_page(*, page_id: int) -> Thread | None:
    return Thread.objects.filter(page_id=page_id).first()


def comment_counts_for_pages(page_ids: list[int]) -> dict[int, int]:
    """Published comment counts keyed by page id; pages with no thread are left out."""
    if not page_ids:
        return {}
    return dict(Thread.objects.filter(page_id__in=page_ids).values_list("page_id", "comment_count"))


def _visible(queryset: QuerySet[Comment], viewer: Viewer | None = None) -> QuerySet[Comment]:
    """Published comments, plus the viewer's own comments that wait for review.

    A held comment is shown to its author alone (marked as waiting), so nobody's words vanish
    after they press Post; every other reader sees only what is published.
    """
    condition = Q(status__in=VISIBLE)
    if viewer is not None and viewer.user_id is not None:
        condition |= Q(status=Comment.Status.PENDING, author_id=viewer.user_id)
    if viewer is not None and viewer.guest_comment_ids:
        condition |= Q(status=Comment.Status.PENDING, pk__in=viewer.guest_comment_ids)
    return queryset.filter(condition).only(*_LIST_FIELDS)


def comment_get(*, comment_id: int, viewer: Viewer | None = None) -> Comment | None:
    return _visible(Comment.objects.filter(pk=comment_id), viewer).first()


def sort_or_default(raw: object) -> str:
    """A known sort name; anything else reads as the default (never an error)."""
    return raw if isinstance(raw, str) and raw in SORTS else DEFAULT_SORT


def _parse_cursor(sort: str, after: int | str | None) -> tuple[int, ...] | None:
    """(id,) or (key, id) from a cursor; a malformed cursor reads as none (the first page)."""
    if after is None or after == "":
        return None
    parts = str(after).split(".")
    expected = 2 if sort in _SORT_KEY else 1
    if len(parts) != expected or not all(part.isdigit() and len(part) < 19 for part in parts):
        return None
    return tuple(int(part) for part in parts)


def _page_rows(
    top: QuerySet[Comment], sort: str, position: tuple[int, ...] | None, count: int
) -> list[Comment]:
    """The first ``count`` top-level comments in ``sort`` order strictly after ``position``.

    Oldest and newest first read the top-level comments by ``number``, which rises with the id
    within a thread: ordered by id, PostgreSQL would rather walk the primary key backwards and
    filter by thread, reading every newer comment of every other thread first (60 ms for a page
    of a 10,000-comment thread beside 300,000 newer ones, against 0.1 ms on the thread's index).
    The cursor stays a comment id; its number is looked up in the same query.
    """
    if sort == "oldest":
        if position:
            top = top.filter(number__gt=Coalesce(_number_of(position[0]), 0))
        return list(top.order_by("number")[:count])
    if sort == "newest":
        if position:
            top = top.filter(number__lt=Coalesce(_number_of(position[0]), _NO_NUMBER))
        return list(top.order_by("-number")[:count])
    key = _SORT_KEY[sort]
    # Most first, newest first among equals: a backward scan of (thread, key, id).
    if not position:
        return list(top.order_by(f"-{key}", "-id")[:count])
    return _after_counted(top, key, position, count)


_NO_NUMBER = 2**31 - 1  # above any top-level number: a cursor that names no comment reads as none


def _number_of(comment_id: int) -> Subquery:
    """The place of a top-level comment in its thread, as a subquery (evaluated once)."""
    return Subquery(Comment.objects.filter(pk=comment_id).values("number")[:1])


def _after_counted(
    top: QuerySet[Comment], key: str, position: tuple[int, ...], count: int
) -> list[Comment]:
    """``count`` comments after (key, id) = ``position`` in (key desc, id desc) order, one query.

    Most comments of a big thread tie on 0 reactions, so the cursor usually sits inside a long
    run of equal keys. ``key < k OR (key = k AND id < i)`` makes SQLite start that run from its
    top and skip every entry already read (page 300 was 20 times slower than page 1), so the two
    halves are written as two index ranges, each with its own LIMIT, and the few rows they give
    are merged: (key = k, id < i) and (key < k). PostgreSQL runs the same SQL the same way.
    """
    value, last_id = position
    halves = (
        top.filter(**{key: value, "id__lt": last_id}).order_by("-id")[:count],
        top.filter(**{f"{key}__lt": value}).order_by(f"-{key}", "-id")[:count],
    )
    connection = connections[top.db]
    quote = connection.ops.quote_name
    parts, params = [], []
    for number, half in enumerate(halves):
        sql, half_params = half.query.get_compiler(top.db).as_sql()
        # Django compiled this SQL; every value in it is a parameter.
        parts.append(f"SELECT * FROM ({sql}) {quote(f'half{number}')}")  # noqa: S608
        params.extend(half_params)
    sql = (
        " UNION ALL ".join(parts)
        + f" ORDER BY {quote(key)} DESC, {quote('id')} DESC LIMIT {int(count)}"
    )
    return list(Comment.objects.db_manager(top.db).raw(sql, params))


def _cursor_of(comment: Comment, sort: str) -> int | str:
    if sort in _SORT_KEY:
        return f"{getattr(comment, _SORT_KEY[sort])}.{comment.pk}"
    return comment.pk


def thread_page(
    *,
    thread: Thread,
    after: int | str | None = None,
    start_at: int | None = None,
    limit: int,
    replies_shown: int,
    include_replies_through: Comment | None = None,
    viewer: Viewer | None = None,
    sort: str = DEFAULT_SORT,
) -> ThreadPage:
    """Top-level comments in ``sort`` order after the cursor ``after`` (or from ``start_at``).

    ``start_at`` (a comment's own place, for links to it) applies to the oldest-first order only;
    every comment keeps its ``number`` whatever the order, so the list shows the same numbers.
    """
    sort = sort_or_default(sort)
    top = _visible(Comment.objects.filter(thread=thread, depth=0), viewer)
    position = _parse_cursor(sort, after)
    if position is None and start_at is not None and sort == DEFAULT_SORT:
        top = top.filter(number__gte=Coalesce(_number_of(start_at), 0))
    rows = _page_rows(top, sort, position, limit + 1)
    next_cursor = _cursor_of(rows[limit - 1], sort) if len(rows) > limit else None
    comments = rows[:limit]
    _attach_replies(
        comments, replies_shown=replies_shown, through=include_replies_through, viewer=viewer
    )
    return ThreadPage(
        comments=comments,
        next_cursor=next_cursor,
        has_earlier=position is not None or (start_at is not None and sort == DEFAULT_SORT),
    )


def reacted_ids(*, reader_key: str, comment_ids: list[int]) -> set[int]:
    """Which of ``comment_ids`` the reader has reacted to (one query; none without a key)."""
    if not reader_key or not comment_ids:
        return set()
    return set(
        Reaction.objects.filter(reader_key=reader_key, comment_id__in=comment_ids).values_list(
            "comment_id", flat=True
        )
    )


def featured_comments(*, thread: Thread, limit: int = FEATURED_SHOWN) -> list[Comment]:
    """The thread's published featured comments, oldest first, at most ``limit`` of them."""
    return list(
        Comment.objects.filter(thread=thread, is_featured=True, status=Comment.Status.PUBLISHED)
        .only("id", "author_name", "html", "created_at", "number", "depth")
        .order_by("id")[: min(limit, FEATURED_SHOWN)]
    )


def _attach_replies(
    comments: list[Comment],
    *,
    replies_shown: int,
    through: Comment | None,
    viewer: Viewer | None = None,
) -> None:
    """Give each comment its first replies in reading order, and how many more there are."""
    by_id = {comment.pk: comment for comment in comments}
    for comment in comments:
        comment.shown_replies = []
    if not comments:
        return
    ranked = (
        _visible(Comment.objects.filter(root_id__in=list(by_id)), viewer)
        .annotate(position=Window(RowNumber(), partition_by=F("root_id"), order_by=F("path").asc()))
        .filter(position__lte=replies_shown)
        .order_by("root_id", "path")
    )
    replies = list(ranked)
    if through is not None and through.root_id in by_id:
        # The linked reply and the ones just before it, however far down its sub-thread it is.
        seen = {reply.pk for reply in replies}
        replies += [
            reply
            for reply in _visible(
                Comment.objects.filter(root_id=through.root_id, path__lte=through.path), viewer
            ).order_by("-path")[:THROUGH_SHOWN]
            if reply.pk not in seen
        ]
        replies.sort(key=lambda reply: (reply.root_id, reply.path))
    names = {comment.pk: comment.author_name for comment in comments}
    names.update({reply.pk: reply.author_name for reply in replies})
    for reply in replies:
        reply.parent_name = names.get(reply.parent_id, "")
        by_id[reply.root_id].shown_replies.append(reply)
    for comment in comments:
        comment.more_replies = max(comment.reply_count - len(comment.shown_replies), 0)
        comment.replies_cursor = comment.shown_replies[-1].path if comment.shown_replies else ""


def replies_page(
    *, root: Comment, after_path: str, limit: int, viewer: Viewer | None = None
) -> tuple[list[Comment], bool]:
    """Replies of ``root`` after ``after_path`` in reading order, and whether more follow."""
    rows = list(
        _visible(Comment.objects.filter(root_id=root.pk, path__gt=after_path), viewer).order_by(
            "path"
        )[: limit + 1]
    )
    names = dict(
        Comment.objects.filter(pk__in={reply.parent_id for reply in rows}).values_list(
            "id", "author_name"
        )
    )
    for reply in rows:
        reply.parent_name = names.get(reply.parent_id, "")
    return rows[:limit], len(rows) > limit


def comments_by_author(*, user_id: int, limit: int = 50) -> list[Comment]:
    """A reader's published comments, newest first, with their thread's title (for profiles)."""
    return list(
        Comment.objects.filter(author_id=user_id, status=Comment.Status.PUBLISHED)
        .select_related("thread")
        .only("id", "html", "created_at", "edited_at", "thread__title")
        .order_by("-id")[:limit]
    )


def comments_for_export(*, user_id: int) -> list[dict]:
    """Everything about a reader's comments, for their data export (every status)."""
    return [
        {
            "id": row["id"],
            "article": row["thread__title"],
            "status": row["status"],
            "body": row["body"],
            "created_at": row["created_at"].isoformat(),
            "edited_at": row["edited_at"].isoformat() if row["edited_at"] else None,
            "in_reply_to": row["parent_id"],
        }
        for row in Comment.objects.filter(author_id=user_id)
        .order_by("id")
        .values("id", "thread__title", "status", "body", "created_at", "edited_at", "parent_id")
    ]


def comments_by_ids(
    *, thread: Thread, ids: list[int], viewer: Viewer | None = None
) -> list[Comment]:
    """The visible comments of ``thread`` among ``ids`` (at most a page), oldest first.

    For the live "new comments" button: each comes with its parent's name and no replies, ready
    for the comment template.
    """
    rows = list(
        _visible(
            Comment.objects.filter(thread_id=thread.pk, pk__in=ids[:MAX_BY_IDS]), viewer
        ).order_by("id")
    )
    parents = {row.parent_id for row in rows if row.parent_id}
    names = (
        dict(Comment.objects.filter(pk__in=parents).values_list("id", "author_name"))
        if parents
        else {}
    )
    for row in rows:
        row.parent_name = names.get(row.parent_id, "")
        row.shown_replies = []
        row.more_replies = 0
        row.replies_cursor = ""
    return rows
