"""A reader whose comments are all held costs no more to screen with each comment they send.

Screening counts a reader's published comments, up to MODERATION_TRUST_FIRST_COMMENTS, on every
comment. Read through the index of all their comments, that count stepped past every held and
rejected one to look for published ones: a reader (or a spam run) with thousands of comments
waiting made each next post read all of them again, slower with each.
"""

from __future__ import annotations

import json

import psycopg
import pytest
from django.db import connection

from discussion.tests.factories import make_thread
from moderation.models import CommentReview
from moderation.selectors import reader_history, reader_history_read

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="counts the pages PostgreSQL reads"
)

HELD = 1500
OTHERS = 33_000  # other readers, three comments each


@postgresql_only
def test_screening_a_reader_with_thousands_of_held_comments_reads_a_handful_of_pages(settings):
    settings.MODERATION_TRUST_FIRST_COMMENTS = 2
    thread = make_thread()
    # A site where other readers' comments stand published by the thousand, and one reader had
    # two published long ago and thousands held since, sent among everyone else's.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO discussion_comment (thread_id, depth, path, author_name, author_email, "
            "body, html, status, reply_count, reaction_count, is_featured, idempotency_key, "
            "notify_replies, created_at) SELECT %s, 0, 'h' || n, 'Olena', '', 'Text.', "
            "'<p>Text.</p>', 'published', 0, 0, false, '', false, now() "
            "FROM generate_series(1, %s) AS n",
            [thread.pk, OTHERS * 3 + HELD + 2],
        )
        cursor.execute(
            "INSERT INTO moderation_commentreview (comment_id, thread_id, state, outcome, "
            "reasons, codes, scores, reader_key, text_hash, report_count, is_featured, "
            "created_at, updated_at) SELECT id, thread_id, CASE "
            "WHEN n <= 2 THEN %s WHEN n %% 64 = 0 AND n <= 64 * %s THEN %s ELSE %s END, "
            "'publish', '[]', '[]', '{}', CASE "
            "WHEN n <= 2 OR (n %% 64 = 0 AND n <= 64 * %s) THEN %s "
            "ELSE 'guest:other-' || (n %% %s) END, md5(id::text), 0, false, now(), now() "
            "FROM (SELECT id, thread_id, row_number() OVER (ORDER BY id) AS n "
            "FROM discussion_comment WHERE thread_id = %s) c",
            [
                CommentReview.State.APPROVED,
                HELD,
                CommentReview.State.PENDING,
                CommentReview.State.UNMODERATED,
                HELD,
                "guest:flood",
                OTHERS,
                thread.pk,
            ],
        )
        cursor.execute("ANALYZE discussion_comment, moderation_commentreview")
        cursor.execute(
            "SELECT state, COUNT(*) FROM moderation_commentreview WHERE reader_key = %s "
            "GROUP BY state",
            ["guest:flood"],
        )
        assert dict(cursor.fetchall()) == {"approved": 2, "pending": HELD}

    read = reader_history_read(
        reader_key="guest:flood", text_hash="0" * 64, trusted_limit=2, page_path=thread.page.path
    )
    # Planned as the app runs it: prepared once for any reader (its values bound on the server).
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + read.sql, read.params)
        plan = cursor.fetchone()[0]
    plan = plan if isinstance(plan, list) else json.loads(plan)
    top = plan[0]["Plan"]
    pages = top["Shared Hit Blocks"] + top["Shared Read Blocks"]

    # Stepping past each held comment read one page of the index or table per comment or so.
    assert pages < 100, json.dumps(plan, indent=1)
    # ...and the count is still right: the two published comments, found under the held ones.
    assert (
        reader_history(
            reader_key="guest:flood",
            text_hash="0" * 64,
            trusted_limit=2,
            page_path=thread.page.path,
        ).trusted
        == 2
    )
