"""A thread page can find its thread in its own query (a ThreadLookup, as the read API's article
check is): the same page as from the thread itself, in one query, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from discussion.models import Comment, Thread
from discussion.selectors import SORTS, ThreadLookup, thread_columns, thread_page
from discussion.tests.factories import make_comment, make_thread

pytestmark = pytest.mark.django_db


def _lookup(thread_id: int, *, row: bool = True) -> ThreadLookup:
    """The thread ``thread_id`` then one column of the lookup's own, as the API's article check
    has them: a LEFT JOIN, so that a thread that does not exist is a row of NULL thread columns
    (an article nobody has commented on), and no row at all without ``row``."""
    quote = connection.ops.quote_name
    table = Thread._meta.db_table
    return ThreadLookup(
        text=f"SELECT {thread_columns(alias='default', table=table)}, 'extra' "  # noqa: S608
        f"FROM (SELECT 1 AS {quote('one')}) {quote('one')} LEFT JOIN {quote(table)} "
        f"ON {quote(table)}.{quote('id')} = %s WHERE {quote('one')}.{quote('one')} = %s",
        params=[thread_id, 1 if row else 0],
        width=len(Thread._meta.concrete_fields) + 1,
    )


def _shape(page) -> list:
    return [
        (c.pk, c.more_replies, [(r.pk, r.parent_name) for r in c.shown_replies])
        for c in page.comments
    ]


@pytest.fixture
def thread():
    thread = make_thread()
    for n in range(7):
        make_comment(thread, f"Comment {n}.")
    root = Comment.objects.filter(thread=thread, depth=0).order_by("id")[1]
    for n in range(4):
        make_comment(thread, f"Reply {n}.", parent=root)
    other = make_thread(title="Elsewhere")
    make_comment(other, "Elsewhere.")
    return thread


@pytest.mark.parametrize("plain", [False, True])
@pytest.mark.parametrize("sort", list(SORTS))
def test_a_lookup_reads_the_page_the_thread_itself_reads_in_one_query(thread, sort, plain):
    thread.refresh_from_db()
    args = {"sort": sort, "limit": 3, "replies_shown": 2, "plain": plain}
    direct = thread_page(thread=thread, **args)
    direct_next = thread_page(thread=thread, after=direct.next_cursor, **args)

    with CaptureQueriesContext(connection) as queries:
        found = thread_page(thread=_lookup(thread.pk), **args)
    found_next = thread_page(thread=_lookup(thread.pk), after=found.next_cursor, **args)

    assert len(queries.captured_queries) == 1
    assert _shape(found) == _shape(direct) and found.next_cursor == direct.next_cursor
    assert _shape(found_next) == _shape(direct_next)
    assert found.found == ("extra",)
    assert found.thread == thread and found.thread.comment_count == thread.comment_count
    assert found.thread.created_at == thread.created_at  # converted as the ORM converts it


def test_a_thread_with_nothing_to_show_still_answers_the_lookups_row():
    thread = make_thread()
    make_comment(thread, "Waiting for review.")
    Comment.objects.filter(thread=thread).update(status=Comment.Status.PENDING)

    page = thread_page(thread=_lookup(thread.pk), limit=3, replies_shown=2)

    assert page.comments == [] and page.next_cursor is None
    assert page.thread == thread and page.found == ("extra",)


def test_a_row_without_a_thread_is_an_empty_page_with_no_thread(thread):
    page = thread_page(thread=_lookup(thread.pk + 1000), limit=3, replies_shown=2, plain=True)

    assert page.comments == [] and page.thread is None and page.found == ("extra",)


def test_no_row_is_no_thread_and_nothing_found(thread):
    page = thread_page(thread=_lookup(thread.pk, row=False), limit=3, replies_shown=2)

    assert page.comments == [] and page.thread is None and page.found is None


@pytest.mark.skipif(connection.vendor != "sqlite", reason="query plans are checked on SQLite here")
def test_a_lookups_page_reads_the_threads_index(thread):
    with CaptureQueriesContext(connection) as queries:
        thread_page(thread=_lookup(thread.pk), limit=3, replies_shown=2)

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + queries.captured_queries[0]["sql"])
        plan = " | ".join(row[-1] for row in cursor.fetchall())
    assert "USING INDEX comment_top_level (thread_id=?" in plan, plan
    assert "USING INDEX comment_replies (root_id=?)" in plan, plan
    assert "SCAN discussion_comment" not in plan, plan


def test_a_pages_rows_hold_what_the_orm_reads(thread):
    """On PostgreSQL the page's rows come back in binary (core.db.read_cursor): each value must be
    what Django's own cursor reads, times in UTC included."""
    edited = Comment.objects.filter(thread=thread, depth=0).order_by("id").first()
    Comment.objects.filter(pk=edited.pk).update(edited_at=timezone.now())

    page = thread_page(thread=_lookup(thread.pk), limit=10, replies_shown=3, plain=True)

    rows = [*page.comments, *(reply for c in page.comments for reply in c.shown_replies)]
    names = [name for name in vars(rows[0]) if not name.startswith(("shown_", "more_", "replies_"))]
    names = [name for name in names if name != "parent_name"]
    stored = {c["id"]: c for c in Comment.objects.filter(thread=thread).values(*names)}
    assert len(rows) == 10 and {row.pk for row in rows} < set(stored)  # 7, and 3 of 4 replies
    for row in rows:
        assert {name: getattr(row, name) for name in names} == stored[row.pk]
        assert row.created_at.tzinfo is datetime.UTC
        assert type(row.html) is str and type(row.is_featured) is bool
    assert page.comments[0].edited_at == Comment.objects.get(pk=edited.pk).edited_at
    assert page.thread.created_at.tzinfo is datetime.UTC
