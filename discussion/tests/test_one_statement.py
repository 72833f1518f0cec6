"""A reader's comment is saved by one statement that commits by itself, with what moderation
records for it, or not at all.

These run outside a test transaction, as the app does serving a POST: on PostgreSQL the comment
takes its id from its sequence, and then a single statement counts it on its thread, inserts it
and its review, and commits (no BEGIN, review insert, COMMIT round trips). When the thread no
longer takes the comment, that statement writes nothing at all, counters included.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable

import psycopg
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult
from psycopg.pq import Trace

from discussion.errors import CommentRefused
from discussion.models import Comment, Thread
from discussion.services import comment_create
from discussion.tests.factories import make_thread
from discussion.tests.readers import make_reader
from moderation.models import CommentReview, ModerationAction

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="only PostgreSQL takes the comment's id first"
)


def _guest_comment(thread: Thread, body: str = "Posted as the article's readers post.") -> Comment:
    return comment_create(
        thread=thread,
        body=body,
        author_name="Olena",
        source="reader",
        guest_key="guest-one-statement",
        ip_address="192.0.2.7",
        page=thread.page,  # as the article's view hands it over, having routed it
    )


def _counters(thread: Thread) -> tuple[int, int, int]:
    row = Thread.objects.filter(pk=thread.pk).values_list(
        "version", "comment_count", "top_level_count"
    )
    return row.get()


@postgresql_only
def test_a_guest_comment_is_two_statements_none_of_them_a_transaction_of_ours():
    thread = make_thread()
    _guest_comment(thread, "The first; the process reads the moderation rules for it.")

    with CaptureQueriesContext(connection) as queries:
        comment = _guest_comment(thread)

    statements = [query["sql"] for query in queries.captured_queries]
    # The reads in one (the idempotency key and name check, the id, the reader's history), and
    # the write.
    assert len(statements) == 2, "\n".join(s[:90] for s in statements)
    assert not any("SAVEPOINT" in sql for sql in statements)
    assert "nextval" in statements[0]
    assert "moderation_commentreview" in statements[0]
    assert "moderation_commentreview" in statements[1]
    assert "discussion_comment" in statements[1]
    assert comment.number == 2


def _round_trips(action) -> int:
    """How many times the app waited for PostgreSQL while ``action`` ran: the answers that end
    an exchange (ReadyForQuery), read from libpq's trace of the connection."""
    connection.ensure_connection()
    pgconn = connection.connection.pgconn
    with tempfile.TemporaryFile("w+") as trace:
        pgconn.trace(trace.fileno())
        pgconn.set_trace_flags(Trace.SUPPRESS_TIMESTAMPS | Trace.REGRESS_MODE)
        try:
            action()
        finally:
            pgconn.untrace()
        trace.seek(0)
        return sum("\tReadyForQuery" in line for line in trace)


@postgresql_only
def test_a_guest_comment_waits_for_the_database_twice_its_reads_together_then_its_write():
    thread = make_thread()
    _guest_comment(thread, "The first; the process reads the moderation rules for it.")

    waits = _round_trips(lambda: _guest_comment(thread))

    assert waits == 2  # it was four: the lookups, the history, the id, each on its own


@postgresql_only
def test_when_comment_create_returns_another_connection_already_sees_comment_and_review():
    """Acknowledged only after commit: the comment is durable when the reader is told so."""
    thread = make_thread()

    comment = _guest_comment(thread)

    settings_dict = connection.settings_dict
    with psycopg.connect(
        dbname=settings_dict["NAME"],
        user=settings_dict["USER"],
        host=settings_dict["HOST"],
        port=settings_dict["PORT"] or 5432,
        password=settings_dict["PASSWORD"] or None,
    ) as other:
        seen = other.execute(
            "SELECT c.number, c.path, r.state FROM discussion_comment c "
            "JOIN moderation_commentreview r ON r.comment_id = c.id WHERE c.id = %s",
            [comment.pk],
        ).fetchone()
    assert seen == (1, f"{comment.pk:012d}", CommentReview.State.UNMODERATED)


def test_a_thread_closed_meanwhile_takes_nothing_not_even_its_counters():
    thread = make_thread()
    _guest_comment(thread, "The first, while it was open.")
    before = _counters(thread)
    Thread.objects.filter(pk=thread.pk).update(is_closed=True)  # ``thread`` still says open

    with pytest.raises(CommentRefused, match="closed"):
        _guest_comment(thread, "Just too late.")

    assert _counters(thread) == before
    assert Comment.objects.filter(thread=thread).count() == 1
    assert CommentReview.objects.filter(thread_id=thread.pk).count() == 1


def test_a_thread_made_members_only_meanwhile_refuses_a_guest_with_nothing_written():
    thread = make_thread()
    before = _counters(thread)
    Thread.objects.filter(pk=thread.pk).update(guests_allowed=False)  # ``thread`` says default

    with pytest.raises(CommentRefused, match="sign in"):
        _guest_comment(thread)

    assert _counters(thread) == before
    assert not Comment.objects.filter(thread=thread).exists()
    assert not CommentReview.objects.filter(thread_id=thread.pk).exists()


def test_a_held_comment_is_saved_with_its_review_and_the_hold_its_author_can_read(settings):
    settings.MODERATION_TRUST_FIRST_COMMENTS = 2  # a new guest's first comments wait

    comment = _guest_comment(make_thread())

    assert comment.status == Comment.Status.PENDING
    review = CommentReview.objects.get(comment=comment)
    assert review.state == CommentReview.State.PENDING
    assert "new_commenter" in review.codes
    hold = ModerationAction.objects.get(comment=comment)
    assert hold.kind == ModerationAction.Kind.HOLD and hold.automated
    assert hold.reason_code == "new_commenter"
    assert hold.created_at is not None


@postgresql_only
def test_each_statement_of_a_comment_is_planned_once_not_again_for_every_comment(settings):
    """A statement the connection has prepared is planned once, for any values, unless a plan
    made for the values at hand looks much cheaper: then PostgreSQL plans it again every time it
    runs. The reader's history did so while its LIMIT (a setting) was a parameter, about 0.3 ms
    of the database's CPU for every comment."""
    if not connection.settings_dict["OPTIONS"].get("prepare_threshold"):
        pytest.skip("prepared statements are turned off (DATABASE_PREPARE_THRESHOLD=0)")
    settings.MODERATION_TRUST_FIRST_COMMENTS = 2  # the default: the history counts up to 2
    settings.MODERATION_RATE_PER_READER = settings.MODERATION_RATE_PER_IP = "1000/m"
    thread = make_thread()
    # A site where readers have written thousands of comments each, and PostgreSQL knows it: a
    # plan for any reader then expects a LIMIT it cannot see to read hundreds of them.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO discussion_comment (thread_id, depth, path, author_name, author_email, "
            "body, html, status, reply_count, reaction_count, is_featured, idempotency_key, "
            "notify_replies, created_at) SELECT %s, 0, 'p' || n, 'Olena', '', 'Old.', "
            "'<p>Old.</p>', 'published', 0, 0, false, '', false, now() "
            "FROM generate_series(1, 6000) AS n",
            [thread.pk],
        )
        cursor.execute(
            "INSERT INTO moderation_commentreview (comment_id, thread_id, state, outcome, "
            "reasons, codes, scores, reader_key, text_hash, report_count, is_featured, "
            "created_at, updated_at) SELECT id, thread_id, 'approved', 'publish', '[]', '[]', "
            "'{}', CASE WHEN id %% 2 = 0 THEN 'guest:guest-one-statement' ELSE 'guest:other' END, "
            "md5(id::text), 0, false, now(), now() FROM discussion_comment WHERE thread_id = %s",
            [thread.pk],
        )
        cursor.execute("ANALYZE discussion_comment, moderation_commentreview")

    # Prepared after DATABASE_PREPARE_THRESHOLD runs; PostgreSQL then plans the first five runs
    # for their values before it weighs a plan for all of them.
    for n in range(connection.settings_dict["OPTIONS"]["prepare_threshold"] + 8):
        _guest_comment(thread, f"Comment number {n} on the plan for the bridge.")

    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements")
        prepared = cursor.fetchall()
    statements = {" ".join(sql.split())[:70]: generic for sql, generic, _custom in prepared}
    assert len(statements) >= 2, statements  # the reads (lookups, history, id) and the write
    planned_every_time = [sql for sql, generic in statements.items() if generic == 0]
    assert planned_every_time == []


@postgresql_only
def test_a_guest_reply_waits_for_the_database_twice_the_comment_it_answers_read_with_the_rest():
    thread = make_thread()
    first = _guest_comment(thread, "The first; the process reads the moderation rules for it.")

    def reply() -> None:
        comment_create(
            thread=thread,
            body="An answer to the first.",
            author_name="Olena",
            parent_id=first.pk,
            source="reader",
            guest_key="guest-one-statement",
            ip_address="192.0.2.7",
            page=thread.page,
        )

    waits = _round_trips(reply)

    assert waits == 2  # the parent was a round trip of its own before the reads went together
    assert Comment.objects.get(parent=first).path.startswith(f"{first.path}/")


def _member_comment_and_a_guests_reply(thread: Thread) -> tuple[Comment, Callable[[], Comment]]:
    """A member's comment, and the guest's reply to it, to post: it queues the email to her."""
    ada = make_reader("Ada", email="ada@example.com")
    first = comment_create(
        thread=thread,
        body="The first; the rules are read for it.",
        author_name="Ada",
        user_id=ada.pk,
        page=thread.page,
    )

    def reply() -> Comment:
        return comment_create(
            thread=thread,
            body="An answer to Ada.",
            author_name="Olena",
            parent_id=first.pk,
            source="reader",
            guest_key="guest-one-statement",
            ip_address="192.0.2.7",
            page=thread.page,
        )

    return first, reply


@postgresql_only
def test_a_reply_to_a_member_writes_its_email_task_in_the_statement_that_writes_it():
    """The task's row commits with the reply, or not at all, with no transaction of ours."""
    _first, reply = _member_comment_and_a_guests_reply(make_thread())

    with CaptureQueriesContext(connection) as queries:
        comment = reply()

    statements = [query["sql"] for query in queries.captured_queries]
    assert len(statements) == 2, "\n".join(s[:90] for s in statements)
    assert not any("SAVEPOINT" in sql for sql in statements)
    assert "discussion_comment" in statements[1]
    assert "django_tasks_database_dbtaskresult" in statements[1]
    task = DBTaskResult.objects.get(task_path="discussion.tasks.reply_notification_send")
    assert task.args_kwargs == {"args": [], "kwargs": {"comment_id": comment.pk}}


@postgresql_only
def test_a_reply_to_a_member_waits_for_the_database_twice_as_a_reply_to_a_guest_does():
    _first, reply = _member_comment_and_a_guests_reply(make_thread())

    waits = _round_trips(reply)

    assert waits == 2  # queueing its email after the commit cost one more
