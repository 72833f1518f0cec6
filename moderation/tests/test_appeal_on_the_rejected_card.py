"""A rejected comment whose author appealed says so on its card in the Rejected queue, with the
appeal's words and a link to that appeal: before, the card looked like any other rejected
comment's, and a moderator reading the Rejected queue neither knew of the appeal nor had a way to
it but to look through the Appeals queue (which shows only its oldest 50)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from discussion.services import comment_create
from discussion.tests.factories import make_thread
from moderation.actions import DecideAppeal, RejectComment
from moderation.models import Appeal

pytestmark = pytest.mark.django_db

REJECTED = "/admin/moderation/queue/rejected/"


def _page(client, url: str, params: dict | None = None) -> BeautifulSoup:
    return BeautifulSoup(client.get(url, params or {}).content, "html.parser")


def _rejected(moderator, name: str):
    comment = comment_create(thread=make_thread(), body=f"{name} says hi.", author_name=name)
    entry = RejectComment(comment=comment, user=moderator, reason_code="off_topic").execute()
    return comment, entry


def test_an_appealed_rejected_comment_shows_the_appeal_and_links_to_it(moderator_client, moderator):
    comment, entry = _rejected(moderator, "Olena")
    appeal = Appeal.objects.create(action=entry, comment=comment, text="It is on topic.")
    _rejected(moderator, "Rui")  # not appealed

    page = _page(moderator_client, REJECTED)

    notes = page.select("[data-mod-appeal]")
    assert len(notes) == 1
    card = notes[0].find_parent("article")
    assert card["id"] == f"review-{comment.review.pk}"
    text = " ".join(notes[0].get_text().split())
    assert text.startswith("Appealed by its author on ")
    assert "“It is on topic.”" in text
    link = notes[0].a["href"]
    assert link == f"/admin/moderation/queue/appeals/?appeal={appeal.pk}#appeal-{appeal.pk}"


def test_the_link_opens_that_appeal_though_older_ones_fill_the_appeals_queue(
    moderator_client, moderator
):
    for n in range(51):
        older, entry = _rejected(moderator, f"R{n}")
        Appeal.objects.create(action=entry, comment=older, text="Not off topic.")
    comment, entry = _rejected(moderator, "Olena")
    appeal = Appeal.objects.create(action=entry, comment=comment, text="It is on topic.")
    link = _page(moderator_client, REJECTED).select_one(
        f"#review-{comment.review.pk} [data-mod-appeal] a"
    )["href"]

    page = _page(moderator_client, link.split("#")[0])

    cards = page.select("[data-mod-card]")
    assert [card["id"] for card in cards] == [f"appeal-{appeal.pk}"]
    assert "“It is on topic.”" in cards[0].get_text()
    assert "All open appeals" in page.select_one("[data-mod-appeals-shown]").get_text()


def test_an_appeal_decided_meanwhile_is_said_to_be_no_longer_open(moderator_client, moderator):
    comment, entry = _rejected(moderator, "Olena")
    appeal = Appeal.objects.create(action=entry, comment=comment, text="It is on topic.")
    DecideAppeal(appeal=appeal, user=moderator, uphold=False, note="It is not.").execute()

    page = _page(moderator_client, "/admin/moderation/queue/appeals/", {"appeal": appeal.pk})

    assert page.select("[data-mod-card]") == []
    assert "This appeal is no longer open" in page.select_one("[data-mod-appeals-shown]").get_text()
    note = _page(moderator_client, REJECTED).select_one("[data-mod-appeal]")
    assert "the appeal was turned down" in note.get_text()
