"""The duplicate-submit check that every comment's POST makes reads the idempotency key's own
index, even in the plan PostgreSQL prepares once for every key, and on SQLite: a plan that
scanned the thread's index instead would read every comment of a 10,000-comment thread per POST
(and an import of a thread's comments, which looks each one up, would slow as it grows). The
guest's name, checked in the same query, reads the readers' loose-key index likewise."""

from __future__ import annotations

import pytest
from django.db import connection

from discussion import selectors
from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

THREAD_SIZE = 150


def _check_sql() -> tuple[str, list]:
    """The check's SQL and parameters, as a comment's POST sends them."""
    thread = thread_ensure(page=make_article())
    first = make_comment(thread, "The first one.")
    Comment = type(first)
    Comment.objects.filter(pk=first.pk).update(idempotency_key="key-1")
    # A thread with some history, its statistics read: on a table of a few rows either index
    # costs the planner the same, and which it took depended on the tests run before.
    for n in range(THREAD_SIZE):
        make_comment(thread, f"Comment {n}.", idempotency_key=f"other-{n}")
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Comment._meta.db_table}")
    captured = []

    def keep(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        found, name_taken = selectors.comment_post_lookups(
            thread_id=thread.pk, key="key-1", guest_name="Ann"
        )
    assert found == first
    assert not name_taken
    return captured[0]


def _prepared_plan(sql: str, params: list) -> str:
    """PostgreSQL's generic plan of the check, the one a prepared statement keeps."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        # A test's table is a few pages, which a sequential scan reads as cheaply as any index;
        # a site's is not. Which index the plan can use is the question here.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "PREPARE idempotency_check(bigint, text, text) AS "
            + sql.replace("%s", "$1", 1).replace("%s", "$2", 1).replace("%s", "$3", 1)
        )
        cursor.execute("EXPLAIN EXECUTE idempotency_check(%s, %s, %s)", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("DEALLOCATE idempotency_check")
    return plan


def _sqlite_plan(sql: str, params: list) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared plans are PostgreSQL's")
def test_the_prepared_check_reads_the_idempotency_key_index():
    plan = _prepared_plan(*_check_sql())

    assert "comment_idempotency_key" in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared plans are PostgreSQL's")
def test_the_prepared_check_reads_the_readers_loose_name_index():
    plan = _prepared_plan(*_check_sql())

    assert "reader_name_loose" in plan, plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner")
def test_on_sqlite_the_check_reads_the_idempotency_key_index():
    # SQLite uses a partial index only when the query states the index's condition as the
    # index does: "idempotency_key <> ''" read the thread's whole index instead.
    plan = _sqlite_plan(*_check_sql())

    assert "comment_idempotency_key" in plan, plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner")
def test_on_sqlite_the_check_reads_the_readers_loose_name_index():
    plan = _sqlite_plan(*_check_sql())

    assert "reader_name_loose" in plan, plan
