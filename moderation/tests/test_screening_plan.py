"""Screening's read of a reader's past stops at the trust limit, even in the plan PostgreSQL
prepares once for every reader: a plan that read the reader's whole history (a bitmap scan of
their index) made each comment of a prolific reader slower than the last."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.utils import timezone

from discussion.models import Comment
from discussion.services import thread_ensure
from moderation import selectors
from moderation.models import CommentReview
from newsroom.tests.factories import make_article

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared plans are PostgreSQL's"),
]


def test_the_prepared_read_of_a_readers_past_stops_at_the_trust_limit():
    thread = thread_ensure(page=make_article())
    # A prolific reader beside a few others, and statistics that say so, as on a live site.
    comments = Comment.objects.bulk_create(
        Comment(
            thread=thread,
            author_name="Prolific",
            body=f"Comment {n}.",
            html=f"<p>Comment {n}.</p>",
            path=f"{n:012d}",
            created_at=timezone.now(),
        )
        for n in range(12000)
    )
    CommentReview.objects.bulk_create(
        CommentReview(
            comment=comment,
            thread=thread,
            state=CommentReview.State.UNMODERATED,
            outcome="publish",
            reader_key="guest:prolific" if n % 3 else f"guest:other-{n % 150}",
        )
        for n, comment in enumerate(comments)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE moderation_commentreview")
    captured = []

    def keep(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        history = selectors.reader_history(
            reader_key="guest:prolific", text_hash="none", trusted_limit=2
        )
    assert history.trusted == 2
    sql, params = captured[0]
    numbered = iter(range(1, len(params) + 1))
    prepared = re.sub(r"%s", lambda _match: f"${next(numbered)}", sql)

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        cursor.execute(f"PREPARE reader_past AS {prepared}")
        marks = ", ".join(["%s"] * len(params))
        cursor.execute(f"EXPLAIN EXECUTE reader_past({marks})", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("DEALLOCATE reader_past")

    assert "Bitmap Heap Scan on moderation_commentreview" not in plan, plan
