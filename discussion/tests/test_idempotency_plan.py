"""The duplicate-submit check that every comment's POST makes reads the idempotency key's own
index, even in the plan PostgreSQL prepares once for every key: a plan that scanned the
thread's index instead would read every comment of a 10,000-comment thread per POST."""

from __future__ import annotations

import pytest
from django.db import connection

from discussion import selectors
from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from newsroom.tests.factories import make_article

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared plans are PostgreSQL's"),
]


def test_the_prepared_check_reads_the_idempotency_key_index():
    thread = thread_ensure(page=make_article())
    first = make_comment(thread, "The first one.")
    Comment = type(first)
    Comment.objects.filter(pk=first.pk).update(idempotency_key="key-1")
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
    sql, params = captured[0]

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        cursor.execute(
            "PREPARE idempotency_check(bigint, text, text) AS "
            + sql.replace("%s", "$1", 1).replace("%s", "$2", 1).replace("%s", "$3", 1)
        )
        cursor.execute("EXPLAIN EXECUTE idempotency_check(%s, %s, %s)", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("DEALLOCATE idempotency_check")

    assert "comment_idempotency_key" in plan, plan
