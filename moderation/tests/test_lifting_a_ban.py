"""A ban or pre-moderation a moderator put on a reader can be taken off again from the queue.

Before, a card's Author actions could ban a reader (for a day, a week or for good) and put them on
pre-moderation, and nothing in the admin undid either: a ban given to the wrong reader, or for
good where a week was meant, stood until someone edited the database.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied

from discussion.services import comment_create
from discussion.tests.factories import make_thread
from moderation.actions import (
    ActionError,
    BanReader,
    ForcePremoderation,
    LiftBan,
    StopPremoderation,
)
from moderation.models import ModerationAction, ReaderStanding
from moderation.reasons import action_label
from moderation.selectors import reader_history

pytestmark = pytest.mark.django_db

PENDING = "/admin/moderation/queue/pending/"


@pytest.fixture
def held(db):
    return comment_create(
        thread=make_thread(), body="The minister is a moron.", author_name="Olena"
    )


def _act(client, comment, action: str, **fields):
    return client.post(
        f"/admin/moderation/reviews/{comment.review.pk}/act/",
        {"action": action, "next": PENDING, **fields},
    )


def _said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _author_buttons(client) -> list[str]:
    page = BeautifulSoup(client.get(PENDING).content, "html.parser")
    card = page.select_one("[data-mod-card] details form")
    return [button.get_text(strip=True) for button in card("button")]


def test_a_banned_readers_card_offers_to_lift_the_ban_and_lifting_it_lets_them_comment(
    moderator_client, moderator, held
):
    key = held.review.reader_key
    BanReader(reader_key=key, reason_code="abuse", user=moderator).execute()
    assert "Lift the ban" in _author_buttons(moderator_client)

    response = _act(moderator_client, held, "unban", note="Banned the wrong Olena.")

    assert _said(response) == ["Lifted the ban on Olena: they can comment again."]
    assert not reader_history(reader_key=key, text_hash="", trusted_limit=0).banned
    entry = ModerationAction.objects.filter(reader_key=key).first()
    assert (entry.kind, entry.actor, entry.note) == ("unban", moderator, "Banned the wrong Olena.")
    assert action_label(entry.kind) == "Ban lifted"
    assert "Lift the ban" not in _author_buttons(moderator_client)


def test_lifting_a_ban_where_there_is_none_does_nothing_and_says_so(moderator_client, held):
    assert "Lift the ban" not in _author_buttons(moderator_client)

    response = _act(moderator_client, held, "unban")

    assert _said(response) == ["This reader is not banned, so nothing was done."]
    assert not ModerationAction.objects.filter(kind="unban").exists()


def test_a_pre_moderated_readers_card_offers_to_stop_and_stopping_ends_it(
    moderator_client, moderator, held
):
    key = held.review.reader_key
    ForcePremoderation(reader_key=key, user=moderator).execute()
    buttons = _author_buttons(moderator_client)
    assert "Stop pre-moderating this reader" in buttons
    assert "Pre-moderate this reader" not in buttons

    response = _act(moderator_client, held, "unpremoderate")

    assert _said(response) == [
        "Olena's comments no longer wait for a moderator (other checks still apply)."
    ]
    assert not ReaderStanding.objects.get(reader_key=key).premoderate
    assert ModerationAction.objects.filter(reader_key=key).first().kind == "unpremoderate"
    assert "Pre-moderate this reader" in _author_buttons(moderator_client)


def test_stopping_pre_moderation_of_a_reader_not_on_it_is_refused(moderator):
    with pytest.raises(ActionError, match="not on pre-moderation"):
        StopPremoderation(reader_key="guest:nobody", user=moderator).execute()


def test_only_a_moderator_may_lift_a_ban(django_user_model, moderator):
    BanReader(reader_key="guest:x", reason_code="spam", user=moderator).execute()
    editor = django_user_model.objects.create_user("ed", "ed@example.com", "pw-long-enough")

    with pytest.raises(PermissionDenied):
        LiftBan(reader_key="guest:x", user=editor).execute()
    assert ReaderStanding.objects.get(reader_key="guest:x").banned
