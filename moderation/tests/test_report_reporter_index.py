"""A reader deleting their account empties the notes of their reports and clears their networks
(accounts.erasures calls moderation.services.reports_of_reader_empty and
moderation.kept_addresses.addresses_of_reader_clear inside the deletion's transaction). Each finds
the reports by their reporter's key alone, so it reads the key's own index. Without it the plan read
every report ever sent (the table, or the whole of the one-report-per-reader index, whose first
column is the comment), so each deletion slowed as the site grew, its transaction open
meanwhile."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.services import reader_erase
from discussion.models import Comment
from discussion.services import thread_ensure
from moderation.models import Report
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def _erasure_updates(django_user_model) -> list[str]:
    """The SQL (its parameters in place) with which a reader's account deletion empties their notes
    and clears their networks, beside many other readers' reports."""
    reader = django_user_model.objects.create_user("ada", "ada@example.com", "pw")
    thread = thread_ensure(page=make_article())
    comments = Comment.objects.bulk_create(
        Comment(
            thread=thread,
            author_name="Writer",
            body=f"Comment {n}.",
            html=f"<p>Comment {n}.</p>",
            path=f"{n:012d}",
            created_at=timezone.now(),
        )
        for n in range(400)
    )
    Report.objects.bulk_create(
        Report(comment=comment, reporter_key=f"guest:reader-{n}", reason="spam", text="A note.")
        for comment in comments
        for n in range(5)
    )
    Report.objects.create(
        comment=comments[0],
        reporter_key=f"user:{reader.pk}",
        reason="abuse",
        text="My note.",
        network="198.51.100.9",
    )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Report._meta.db_table}")
    with CaptureQueriesContext(connection) as queries:
        reader_erase(user=reader)
    assert not Report.objects.filter(text="My note.").exists()  # the note went with the account
    assert not Report.objects.filter(network="198.51.100.9").exists()  # and where it came from
    updates = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith(f'UPDATE "{Report._meta.db_table}"')
    ]
    assert len(updates) == 2, updates
    return updates


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A test's table is a few pages, which a sequential scan reads as cheaply as any
            # index; a site's is not. Whether the plan can use the index is the question here.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql)
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def test_deleting_an_account_finds_its_reports_by_the_reporters_index(django_user_model):
    for update in _erasure_updates(django_user_model):
        plan = _plan(update)

        assert "report_reporter" in plan, plan
        assert "Seq Scan" not in plan and "SCAN moderation_report" not in plan, plan
