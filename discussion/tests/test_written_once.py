"""What one new comment costs the database: each of its rows written once, and no index entries
for keys it does not have.

Every comment is written to each index of the comments table and of moderation's reviews, so on a
busy thread these are most of the database's work per comment (docs/bench-history.md).
"""

from __future__ import annotations

import re

import pytest
from django.db import connection

from discussion.models import Comment
from discussion.tests.factories import make_comment, make_thread

pytestmark = pytest.mark.django_db


def _row_writes(table: str) -> tuple[int, int]:
    """Rows inserted and updated in ``table`` by this transaction so far, as PostgreSQL counts
    them (every update of an indexed column writes an entry in each index again)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n_tup_ins, n_tup_upd FROM pg_stat_xact_user_tables WHERE relname = %s",
            [table],
        )
        return cursor.fetchone()


def _writes_of(table: str, action) -> tuple[int, int]:
    before = _row_writes(table)
    action()
    after = _row_writes(table)
    return after[0] - before[0], after[1] - before[1]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="only PostgreSQL has a sequence to take ids from"
)
def test_a_top_level_comment_is_inserted_whole_and_never_updated():
    thread = make_thread()
    make_comment(thread, "The first comment.")

    made = []

    inserted, updated = _writes_of(
        "discussion_comment", lambda: made.append(make_comment(thread, "The second comment."))
    )

    assert (inserted, updated) == (1, 0)
    comment = made[0]
    stored = Comment.objects.get(pk=comment.pk)
    assert (stored.number, stored.path) == (2, f"{comment.pk:012d}")


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="only PostgreSQL has a sequence to take ids from"
)
def test_a_reply_is_inserted_whole_and_counted_on_its_root():
    thread = make_thread()
    root = make_comment(thread, "A comment.")
    child = make_comment(thread, "A reply.", parent=root)

    made = []

    inserted, updated = _writes_of(
        "discussion_comment",
        lambda: made.append(make_comment(thread, "A reply to the reply.", parent=child)),
    )

    assert (inserted, updated) == (1, 1)  # the reply, and its root's count of replies
    grandchild = made[0]
    stored = Comment.objects.get(pk=grandchild.pk)
    assert stored.path == f"{root.pk:012d}/{child.pk:012d}/{grandchild.pk:012d}"
    assert (stored.number, stored.root_id, stored.depth) == (None, root.pk, 2)
    root.refresh_from_db()
    assert root.reply_count == 2


def test_a_comment_posted_to_a_closed_thread_writes_no_row():
    thread = make_thread(closed=True)
    before = Comment.objects.count()

    from discussion.errors import CommentRefused

    with pytest.raises(CommentRefused):
        make_comment(thread, "Too late.")

    assert Comment.objects.count() == before


def _index_definitions(table: str) -> dict[str, str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table]
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql IS NOT NULL",
                [table],
            )
        return {name: definition for name, definition in cursor.fetchall()}


def _indexes_on(definitions: dict[str, str], column: str) -> list[str]:
    """The definitions of the indexes whose first column is ``column``."""
    first = re.compile(rf'\(\s*"?{column}"?\s*(ASC|DESC)?\s*[,)]', re.IGNORECASE)
    return [d for d in definitions.values() if first.search(d)]


@pytest.mark.parametrize(
    ("table", "column", "partial"),
    [
        ("discussion_comment", "parent_id", True),
        ("discussion_comment", "author_id", True),
        ("discussion_comment", "root_id", False),
        ("moderation_commentreview", "last_report_id", True),
        ("moderation_commentreview", "thread_id", False),
    ],
)
def test_each_key_has_one_index_and_a_key_most_rows_lack_indexes_only_the_rows_with_one(
    table, column, partial
):
    (definition,) = _indexes_on(_index_definitions(table), column)

    if partial:
        assert re.search(rf'WHERE\s*\(?\s*"?{column}"?\s+IS NOT NULL', definition, re.I)
    else:
        assert " WHERE " not in definition.upper()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="query plans are checked on SQLite here")
@pytest.mark.parametrize(
    ("sql", "index"),
    [
        ("SELECT id FROM discussion_comment WHERE parent_id IN (1, 2)", "comment_parent"),
        ("SELECT id FROM discussion_comment WHERE author_id = 7", "comment_author"),
        ("SELECT id FROM discussion_comment WHERE root_id IN (1, 2)", "comment_replies"),
        (
            "SELECT id FROM moderation_commentreview WHERE last_report_id IS NOT NULL "
            "ORDER BY last_report_id DESC LIMIT 25",
            "review_reported",
        ),
        ("SELECT id FROM moderation_commentreview WHERE thread_id = 3", "review_thread_queue"),
    ],
)
def test_lookups_by_those_keys_still_read_an_index(sql, index):
    """Django's deletes look children and a member's comments up by these keys; the Reported
    queue reads its reviews newest report first."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        plan = " | ".join(str(row[-1]) for row in cursor.fetchall())

    assert f"INDEX {index}" in plan, plan
