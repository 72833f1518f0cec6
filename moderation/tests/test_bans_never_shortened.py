"""A ban is never cut short by another ban: a moderator on a card shown before a colleague banned
the reader for good (the card said nothing of a ban) who presses "Ban 1 day" is refused, and the
ban stands as it was. To shorten a ban on purpose, a moderator lifts it, then bans again.

Before, the later, shorter ban replaced the longer one: a reader banned for good by one moderator
could comment again the next day because another pressed "Ban 1 day" on a page loaded earlier,
and the transparency report counted two bans."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from discussion.services import comment_create
from discussion.tests.factories import make_thread
from moderation.actions import ActionError, BanReader, LiftBan
from moderation.models import ModerationAction, ReaderStanding

pytestmark = pytest.mark.django_db

PENDING = "/admin/moderation/queue/pending/"


@pytest.fixture
def held(db):
    return comment_create(
        thread=make_thread(), body="The minister is a moron.", author_name="Olena"
    )


def _ban(client, comment, action: str):
    return client.post(
        f"/admin/moderation/reviews/{comment.review.pk}/act/",
        {"action": action, "reason_code": "abuse", "next": PENDING},
    )


def _standing(key: str) -> tuple[bool, object]:
    standing = ReaderStanding.objects.get(reader_key=key)
    return standing.banned, standing.banned_until


def test_a_one_day_ban_from_a_card_shown_before_a_ban_for_good_leaves_it_for_good(
    moderator_client, django_user_model, held
):
    key = held.review.reader_key
    colleague = django_user_model.objects.create_superuser("ola", "ola@example.com", "pw-long")
    BanReader(reader_key=key, reason_code="abuse", user=colleague).execute()

    response = _ban(moderator_client, held, "ban_day")

    assert _standing(key) == (True, None)
    assert ModerationAction.objects.filter(kind="ban").count() == 1
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert said == [
        "This reader is banned permanently already, so nothing was done: a shorter ban would cut "
        "it short. To shorten a ban, lift it first, then ban again."
    ]


def test_a_shorter_timed_ban_leaves_the_longer_one_in_force(moderator, held):
    key = held.review.reader_key
    week = timezone.now() + timedelta(days=7)
    BanReader(reader_key=key, reason_code="spam", user=moderator, until=week).execute()

    with pytest.raises(ActionError, match="a shorter ban would cut it short"):
        BanReader(
            reader_key=key,
            reason_code="spam",
            user=moderator,
            until=timezone.now() + timedelta(days=1),
        ).execute()

    assert _standing(key) == (True, week)
    assert ModerationAction.objects.filter(kind="ban").count() == 1


def test_a_longer_ban_still_replaces_a_shorter_one(moderator_client, moderator, held):
    key = held.review.reader_key
    BanReader(
        reader_key=key,
        reason_code="spam",
        user=moderator,
        until=timezone.now() + timedelta(days=1),
    ).execute()

    _ban(moderator_client, held, "ban_week")

    banned, until = _standing(key)
    assert banned and until > timezone.now() + timedelta(days=6)
    assert ModerationAction.objects.filter(kind="ban").count() == 2


def test_a_ban_that_has_run_out_or_was_lifted_is_no_bar_to_a_shorter_one(moderator, held):
    key = held.review.reader_key
    BanReader(reader_key=key, reason_code="spam", user=moderator).execute()
    LiftBan(reader_key=key, user=moderator).execute()
    tomorrow = timezone.now() + timedelta(days=1)
    BanReader(reader_key=key, reason_code="spam", user=moderator, until=tomorrow).execute()
    ReaderStanding.objects.filter(reader_key=key).update(
        banned_until=timezone.now() - timedelta(minutes=1)
    )

    hour = timezone.now() + timedelta(hours=1)
    BanReader(reader_key=key, reason_code="spam", user=moderator, until=hour).execute()

    assert _standing(key) == (True, hour)
