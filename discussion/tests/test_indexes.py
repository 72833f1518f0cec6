"""Every order of a thread page reads the thread's own index, so what other threads hold (or how
deep the page is) does not change what a page costs.

The plans are SQLite's (the embedded default). PostgreSQL was checked by hand with EXPLAIN
ANALYZE on a 10,000-comment thread beside 300,000 comments in other threads; see docs/api.md.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from discussion.models import Comment
from discussion.selectors import SORTS, thread_page
from discussion.tests.factories import make_comment, make_thread

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="query plans are checked on SQLite here"
    ),
]

INDEX_OF = {
    "oldest": "comment_top_level",
    "newest": "comment_top_level",
    "reactions": "comment_top_by_reactions",
    "replies": "comment_top_by_replies",
}


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return " | ".join(row[-1] for row in cursor.fetchall())


def _top_level_plan(**page_args):
    """The plan of the page's top-level query, and the page."""
    with CaptureQueriesContext(connection) as queries:
        page = thread_page(limit=3, replies_shown=1, **page_args)
    return _plan(queries.captured_queries[0]["sql"]), page


@pytest.fixture
def threads():
    """The thread read, and a busier one written after it, whose rows come later in every index."""
    thread = make_thread()
    for n in range(12):
        make_comment(thread, f"Comment {n}.")
    other = make_thread(title="Elsewhere")
    for n in range(30):
        make_comment(other, f"Elsewhere {n}.")
    return thread, other


@pytest.mark.parametrize("sort", list(SORTS))
def test_first_and_cursor_pages_of_every_sort_read_the_threads_index(threads, sort):
    thread, _other = threads

    first_plan, first = _top_level_plan(thread=thread, sort=sort)
    cursor_plan, _ = _top_level_plan(thread=thread, sort=sort, after=first.next_cursor)

    for plan in (first_plan, cursor_plan):
        assert f"USING INDEX {INDEX_OF[sort]} (thread_id=?" in plan, plan
        assert "SCAN discussion_comment" not in plan, plan  # never the whole table


def test_a_cursor_inside_a_run_of_equal_counts_seeks_rather_than_skips(threads):
    """Most comments tie on 0 reactions; the next page starts at the cursor, not the run's top."""
    thread, _other = threads
    first = thread_page(thread=thread, sort="reactions", limit=3, replies_shown=1)

    plan, _page = _top_level_plan(thread=thread, sort="reactions", after=first.next_cursor)

    assert "comment_top_by_reactions (thread_id=? AND reaction_count=? AND id<?)" in plan
    assert "comment_top_by_reactions (thread_id=? AND reaction_count<?)" in plan


def test_a_link_to_a_comment_starts_its_page_by_seeking_to_it(threads):
    thread, _other = threads
    root = Comment.objects.filter(thread=thread, depth=0).order_by("id")[5]

    plan, page = _top_level_plan(thread=thread, start_at=root.pk)

    assert "comment_top_level (thread_id=? AND number>?)" in plan
    assert page.comments[0].pk == root.pk


def test_the_first_replies_and_more_replies_read_the_replies_index(threads):
    thread, _other = threads
    root = Comment.objects.filter(thread=thread, depth=0).order_by("id").first()
    for n in range(4):
        make_comment(thread, f"Reply {n}.", parent=root)

    with CaptureQueriesContext(connection) as queries:
        thread_page(thread=thread, limit=3, replies_shown=2)

    (page_query,) = queries.captured_queries  # the page and its first replies, in one query
    plan = _plan(page_query["sql"])
    assert "USING INDEX comment_replies (root_id=?)" in plan, plan
    assert "SCAN discussion_comment" not in plan, plan
