"""An appeal's card shows what the moderator deciding it needs: the article the comment was on,
who made the decision appealed, and the note its author was given with it, which the author's
appeal answers.

Before, the card named the decision ("Rejected: off topic") and showed the comment and the appeal,
but neither the article nor the note: an appeal saying "the note is wrong, I did cite a source"
was decided without the note it argued with.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from discussion.services import comment_create
from discussion.tests.factories import make_thread
from moderation.actions import RejectComment
from moderation.models import Appeal

pytestmark = pytest.mark.django_db

APPEALS = "/admin/moderation/queue/appeals/"


def _card(client) -> str:
    page = BeautifulSoup(client.get(APPEALS).content, "html.parser")
    return " ".join(page.select_one("[data-mod-card]").get_text().split())


def _appealed(moderator, *, note: str = ""):
    comment = comment_create(
        thread=make_thread(title="Talks in Istanbul"), body="Markets moved.", author_name="Olena"
    )
    entry = RejectComment(
        comment=comment, user=moderator, reason_code="off_topic", note=note
    ).execute()
    return Appeal.objects.create(action=entry, comment=comment, text="It is on topic.")


def test_an_appeal_card_names_the_article_the_moderator_and_the_note_the_author_was_given(
    moderator_client, moderator
):
    _appealed(moderator, note="This is about markets, not the talks.")

    card = _card(moderator_client)

    assert "on Talks in Istanbul" in card
    assert "by boss" in card
    assert "Note to the author with it: “This is about markets, not the talks.”" in card


def test_an_appeal_of_a_decision_without_a_note_says_none_was_given(moderator_client, moderator):
    _appealed(moderator)

    assert "No note to the author with it." in _card(moderator_client)


def test_an_appeals_queue_longer_than_a_page_says_how_many_it_shows_of_how_many(
    moderator_client, moderator
):
    """The queue shows the oldest 50 open appeals and has no next page: with 51 open, the tab
    said 51 and the page ended at 50 without a word about the one left."""
    thread = make_thread()
    for n in range(51):
        comment = comment_create(thread=thread, body=f"Comment {n}.", author_name=f"R{n}")
        entry = RejectComment(comment=comment, user=moderator, reason_code="spam").execute()
        Appeal.objects.create(action=entry, comment=comment, text="Not spam.")

    page = BeautifulSoup(moderator_client.get(APPEALS).content, "html.parser")

    assert len(page.select("[data-mod-card]")) == 50
    assert " ".join(page.select_one("[data-mod-appeals-shown]").get_text().split()) == (
        "The oldest 50 of 51 open appeals; decide these to see the rest."
    )


def test_an_appeals_queue_that_fits_on_its_page_says_nothing_of_the_kind(
    moderator_client, moderator
):
    _appealed(moderator)

    page = BeautifulSoup(moderator_client.get(APPEALS).content, "html.parser")

    assert page.select_one("[data-mod-appeals-shown]") is None


def test_an_appeal_card_links_to_its_authors_record_of_decisions(moderator_client, moderator):
    _appealed(moderator, note="This is about markets, not the talks.")
    card = BeautifulSoup(moderator_client.get(APPEALS).content, "html.parser").select_one(
        "[data-mod-card]"
    )

    record = moderator_client.get(card.find("a", string="Their record")["href"])

    row = BeautifulSoup(record.content, "html.parser").select_one("[data-record-action=reject]")
    cells = [" ".join(cell.get_text().split()) for cell in row.select("td")][1:]
    assert cells == [
        "Rejected: off topic",
        "boss",
        "On Talks in Istanbul: “Markets moved.”",
        "This is about markets, not the talks.",
    ]
