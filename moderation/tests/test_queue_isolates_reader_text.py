"""In the moderation queues each piece of text a reader typed (a name, a report's or an appeal's
words) is isolated in a <bdi>: a text-direction control left open in one cannot reverse or
reorder the rest of the line, other readers' reasons included. Text stored before such controls
were refused still has them."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from discussion.services import comment_create
from discussion.tests.factories import make_thread
from moderation.actions import RejectComment
from moderation.models import Appeal, CommentReview, Report

pytestmark = pytest.mark.django_db

OPEN_OVERRIDE = "\u202eunterminated"


def _card(client, queue: str) -> BeautifulSoup:
    page = BeautifulSoup(client.get(f"/admin/moderation/queue/{queue}/").content, "html.parser")
    [card] = page.select("[data-mod-card]")
    return card


def _isolated(card: BeautifulSoup) -> list[str]:
    return [bdi.get_text() for bdi in card.select("bdi")]


def test_a_reported_card_isolates_the_authors_name_and_each_reports_text(client, moderator):
    comment = comment_create(thread=make_thread(), body="A comment.", author_name="Ann")
    for n, reason in enumerate(["off_topic", "spam"]):  # stored as typed before the check
        report = Report.objects.create(
            comment=comment,
            reason=reason,
            text=f"report {n} {OPEN_OVERRIDE}",
            reporter_key=f"guest:{n}",
        )
        CommentReview.objects.filter(comment=comment).update(last_report=report)
    client.force_login(moderator)

    isolated = _isolated(_card(client, "reported"))

    assert f"report 0 {OPEN_OVERRIDE}" in isolated and f"report 1 {OPEN_OVERRIDE}" in isolated
    assert "Ann" in isolated  # in the card's heading
    assert "Ann (guest)" in isolated  # in the author's history


def test_an_appeal_card_isolates_the_authors_name_and_the_appeals_text(client, moderator):
    comment = comment_create(thread=make_thread(), body="A comment.", author_name="Olena")
    entry = RejectComment(comment=comment, user=moderator, reason_code="off_topic").execute()
    Appeal.objects.create(action=entry, comment=comment, text=f"It was on topic {OPEN_OVERRIDE}")
    client.force_login(moderator)

    isolated = _isolated(_card(client, "appeals"))

    assert isolated == ["Olena", f"It was on topic {OPEN_OVERRIDE}"]
