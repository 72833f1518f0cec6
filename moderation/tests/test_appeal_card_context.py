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


@pytest.fixture
def moderator(django_user_model):
    return django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-long-enough")


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


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
