"""Details of the moderation admin a moderator reads: dates with their year, decisions in words,
a confirmation for every decision, and a dashboard that counts what was posted in its window."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from discussion.models import Comment
from discussion.services import comment_create
from discussion.tests.factories import make_thread
from moderation.actions import RejectComment
from moderation.models import Appeal, CommentReview

pytestmark = pytest.mark.django_db


def _held(thread, body="The minister is a moron.", name="Olena"):
    return comment_create(thread=thread, body=body, author_name=name)


def _dashboard_text(client) -> str:
    page = BeautifulSoup(client.get("/admin/moderation/").content, "html.parser")
    return " ".join(page.select_one("main").get_text(" ").split())


def _card_times(client) -> list[str]:
    page = BeautifulSoup(client.get("/admin/moderation/queue/pending/").content, "html.parser")
    return [card.header.time.get_text() for card in page.select("[data-mod-card]")]


def test_a_queued_comment_from_another_year_shows_its_year(moderator_client):
    thread = make_thread()
    old, new = _held(thread, name="Then"), _held(thread, name="Now")
    then = timezone.now().replace(year=2022, month=3, day=29)
    Comment.objects.filter(pk=old.pk).update(created_at=then)

    times = _card_times(moderator_client)

    assert times == [
        timezone.localtime(new.created_at).strftime("%-d %b, %H:%M"),
        timezone.localtime(then).strftime("%-d %b %Y, %H:%M"),
    ]


def test_an_appeal_names_the_decision_in_words_not_its_code(moderator_client, moderator):
    comment = _held(make_thread())
    entry = RejectComment(comment=comment, user=moderator, reason_code="off_topic").execute()
    Appeal.objects.create(action=entry, comment=comment, text="It was on topic.")

    page = BeautifulSoup(
        moderator_client.get("/admin/moderation/queue/appeals/").content, "html.parser"
    )
    header = page.select_one("[data-mod-card] header").get_text(" ", strip=True)

    assert "Rejected: off topic" in header and "off_topic" not in header


def test_upholding_an_appeal_confirms_it(moderator_client, moderator):
    comment = _held(make_thread())
    entry = RejectComment(comment=comment, user=moderator, reason_code="abuse").execute()
    appeal = Appeal.objects.create(action=entry, comment=comment, text="It was about a minister.")

    response = moderator_client.post(
        f"/admin/moderation/appeals/{appeal.pk}/decide/", {"decision": "uphold"}, follow=True
    )
    shown = [str(message) for message in response.context["messages"]]

    assert shown == ["Upheld the appeal by Olena: their comment is published again."]


def test_the_dashboard_counts_comments_posted_in_the_window_not_old_ones_screened_now(
    moderator_client,
):
    thread = make_thread()
    _held(thread)
    comment_create(thread=thread, body="Fine.", author_name="Ann")
    imported = comment_create(thread=thread, body="From the archive.", author_name="Bo")
    Comment.objects.filter(pk=imported.pk).update(created_at=timezone.now() - timedelta(days=900))

    assert "2 comments posted; 1 (50%) held for review" in _dashboard_text(moderator_client)


def test_the_dashboard_groups_thousands_and_shows_a_small_held_share_as_under_1_percent(
    moderator_client,
):
    thread = make_thread()
    _held(thread)
    published = comment_create(thread=thread, body="Fine.", author_name="Ann")
    clones = []
    for _ in range(1_000):
        clone = copy.copy(published)
        clone.pk = clone.id = None
        clones.append(clone)
    Comment.objects.bulk_create(clones)
    review = CommentReview.objects.get(comment=published)
    CommentReview.objects.bulk_create(
        CommentReview(comment=clone, thread=thread, state=review.state, outcome=review.outcome)
        for clone in clones
    )

    assert "1,002 comments posted; 1 (under 1%) held for review" in _dashboard_text(
        moderator_client
    )


def _bars(client) -> list:
    page = BeautifulSoup(client.get("/admin/moderation/").content, "html.parser")
    return [rect for rect in page.select("svg rect") if rect.title]


def test_the_dashboard_chart_has_a_bar_for_every_hour_with_quiet_hours_between_busy_ones(
    moderator_client,
):
    thread = make_thread()
    earlier = _held(thread, name="Earlier")
    _held(thread, name="Later")
    Comment.objects.filter(pk=earlier.pk).update(created_at=timezone.now() - timedelta(hours=10))

    bars = _bars(moderator_client)

    assert len(bars) == 48
    busy = [n for n, bar in enumerate(bars) if float(bar["height"]) > 0]
    assert busy == [37, 47]  # ten hours apart, the newest in the current hour on the right
    assert bars[47].title.get_text().endswith("1 comment, 1 held (100%)")


def test_the_dashboard_chart_is_also_a_table_of_the_hours_that_had_comments(moderator_client):
    thread = make_thread()
    _held(thread)
    comment_create(thread=thread, body="Fine.", author_name="Ann")

    page = BeautifulSoup(moderator_client.get("/admin/moderation/").content, "html.parser")

    rows = page.select("details table tbody tr")
    assert [[cell.get_text(" ", strip=True) for cell in row.select("td")][1:] for row in rows] == [
        ["2", "1 (50%)"]
    ]


def test_the_dashboard_chart_says_where_the_hours_start_and_end(moderator_client):
    page = BeautifulSoup(moderator_client.get("/admin/moderation/").content, "html.parser")

    labels = [text.get_text() for text in page.select("svg text[data-axis]")]

    first = timezone.localtime(timezone.now() - timedelta(hours=47)).strftime("%a %H:")
    assert labels[0].startswith(first) and labels[-1] == "now"
