"""The queues cost the same queries however many members' comments a page of cards shows: a
newsroom's queue fills with members' comments, and each card says when its author's account was
made."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from discussion.services import comment_create
from discussion.tests.factories import make_thread
from moderation.models import CommentReview, Rule
from moderation.selectors import _histories
from moderation.services import report_create
from moderation.tests.bob import queries_answering

pytestmark = pytest.mark.django_db

PENDING = "/admin/moderation/queue/pending/"


@pytest.fixture
def moderator_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-long-enough")
    client.force_login(user)
    return client


def _members_held(django_user_model, thread, count: int, start: int) -> None:
    """``count`` comments held by a suspect word, each by a member of their own."""
    for n in range(start, start + count):
        member = django_user_model.objects.create_user(f"member{n}", f"member{n}@example.com")
        comment_create(
            thread=thread,
            body=f"A zorkbat of a briefing, number {n}.",
            author_name=f"Member {n}",
            user_id=member.pk,
        )


def test_a_page_of_members_cards_costs_the_same_queries_as_one_card(
    moderator_client, django_user_model
):
    thread = make_thread()
    Rule.objects.create(kind=Rule.Kind.SUSPECT, pattern="zorkbat")
    _members_held(django_user_model, thread, 1, start=0)
    one = queries_answering(moderator_client, PENDING)

    _members_held(django_user_model, thread, 5, start=1)
    six = queries_answering(moderator_client, PENDING)

    page = moderator_client.get(PENDING).content.decode()
    assert page.count("account since") == 6
    assert six == one


@pytest.mark.skipif(connection.vendor != "sqlite", reason="query plans are checked on SQLite here")
def test_a_cards_author_line_is_counted_from_an_index_alone():
    """The author line (their comments by queue) counts every comment the card's reader ever
    wrote: from the ``review_reader_state`` index, without reading a row of the table for each
    (on PostgreSQL, 25 readers with 35,800 comments between them: 570 ms, and 13 ms so)."""
    thread = make_thread()
    for n in range(3):
        comment_create(thread=thread, body=f"Comment {n}.", author_name="Olena")
    key = CommentReview.objects.values_list("reader_key", flat=True).first()

    with CaptureQueriesContext(connection) as queries:
        assert _histories([key]) == {key: {"unmoderated": 3}}

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + queries.captured_queries[0]["sql"])
        plan = " | ".join(row[-1] for row in cursor.fetchall())
    assert "COVERING INDEX review_reader_state" in plan


def _page_plan(client, url: str) -> str:
    """The query plan of the queue page's own query (the one that lists its cards)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    sql = next(
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and '"decided"' in q["sql"]
    )
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return " | ".join(row[-1] for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="query plans are checked on SQLite here")
def test_the_reason_filter_reads_the_queue_newest_first_and_stops_at_a_page(moderator_client):
    """Filtered by a reason, the queue is read in its index's order, newest first, and stops at
    a page of cards: it was sorted whole first (to take out a comment's second report), so the
    Unmoderated queue of a 300,000-comment site took 4 s to show its first page."""
    thread = make_thread()
    for n in range(3):
        comment_create(thread=thread, body=f"Comment {n}.", author_name=f"Reader {n}")

    plan = _page_plan(moderator_client, "/admin/moderation/queue/unmoderated/?reason=spam")

    assert "review_queue" in plan
    assert "TEMP B-TREE" not in plan


def test_a_comment_reported_twice_for_the_reason_is_one_card(moderator_client):
    thread = make_thread()
    comment = comment_create(thread=thread, body="Buy my pills.", author_name="Seller")
    for n in range(2):
        report_create(
            comment=comment, reporter_key=f"guest:r{n}", network=f"10.0.0.{n}", reason="spam"
        )

    page = moderator_client.get("/admin/moderation/queue/unmoderated/?reason=spam")

    cards = BeautifulSoup(page.content, "html.parser").select("[data-mod-card]")
    assert [card["data-comment"] for card in cards] == [str(comment.pk)]
