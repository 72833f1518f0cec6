"""A card's author line is the reader's history as a moderator needs it: every state their
comments are in (pending ones too), each count opening that queue for them alone, and what
moderators have done to the reader (banned until when, pre-moderated, warned).

Before, the line left out the reader's pending comments (a guest with thirty comments waiting
read "0 approved, 0 unmoderated, 0 rejected"), its counts led nowhere (the queue tabs drop the
author filter, so a reader's rejected comments could not be listed), and a reader banned a
moment ago looked on their card exactly as before the ban.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from discussion.services import comment_create
from discussion.tests.factories import make_thread
from moderation.actions import BanReader, ForcePremoderation, RejectComment, WarnReader
from moderation.models import ReaderStanding

pytestmark = pytest.mark.django_db

PENDING = "/admin/moderation/queue/pending/"


def _held(thread, body: str, name: str = "Olena"):
    return comment_create(thread=thread, body=f"{body} The minister is a moron.", author_name=name)


def _history(client, url: str = PENDING):
    page = BeautifulSoup(client.get(url).content, "html.parser")
    return page.select_one("[data-mod-card] .mod-history")


def _said(line) -> str:
    return " ".join(line.get_text().split())


def test_the_history_counts_the_readers_pending_comments(moderator_client):
    thread = make_thread()
    for n in range(3):
        _held(thread, f"Comment {n}.")

    assert "3 pending, 0 approved, 0 unmoderated, 0 rejected" in _said(_history(moderator_client))


def test_each_count_opens_that_queue_for_this_reader_alone(moderator_client, moderator):
    thread = make_thread()
    rejected = _held(thread, "First.")
    RejectComment(comment=rejected, user=moderator, reason_code="abuse").execute()
    waiting = _held(thread, "Second.")
    key = waiting.review.reader_key

    links = {a.get_text(" ", strip=True): a["href"] for a in _history(moderator_client)("a")}

    assert {"1 pending", "0 approved", "0 unmoderated", "1 rejected"} <= set(links)
    rejected_link = urlsplit(links["1 rejected"])
    assert rejected_link.path == "/admin/moderation/queue/rejected/"
    assert parse_qs(rejected_link.query) == {"author": [key]}
    listed = BeautifulSoup(moderator_client.get(links["1 rejected"]).content, "html.parser")
    assert [card["id"] for card in listed.select("[data-mod-card]")] == [
        f"review-{rejected.review.pk}"
    ]


def test_a_reader_banned_for_a_day_reads_as_banned_until_then(moderator_client, moderator):
    comment = _held(make_thread(), "Held.")
    until = timezone.now() + timedelta(days=1)
    BanReader(
        reader_key=comment.review.reader_key, until=until, reason_code="abuse", user=moderator
    ).execute()

    said = _said(_history(moderator_client))

    assert f"Banned until {timezone.localtime(until):%-d %b %Y, %H:%M}." in said


def test_a_reader_banned_for_good_reads_as_banned_permanently(moderator_client, moderator):
    comment = _held(make_thread(), "Held.")
    BanReader(reader_key=comment.review.reader_key, reason_code="spam", user=moderator).execute()

    assert "Banned permanently." in _said(_history(moderator_client))


def test_a_ban_that_has_ended_is_not_shown(moderator_client, moderator):
    comment = _held(make_thread(), "Held.")
    ReaderStanding.objects.create(
        reader_key=comment.review.reader_key,
        banned=True,
        banned_until=timezone.now() - timedelta(minutes=1),
    )

    assert "Banned" not in _said(_history(moderator_client))


def test_a_pre_moderated_and_warned_reader_reads_as_such(moderator_client, moderator):
    thread = make_thread()
    comments = [_held(thread, "Held."), _held(thread, "Held again.")]
    key = comments[0].review.reader_key
    ForcePremoderation(reader_key=key, user=moderator).execute()
    for comment in comments:  # a reader is warned about a comment once
        WarnReader(reader_key=key, comment=comment, reason_code="abuse", user=moderator).execute()

    said = _said(_history(moderator_client))

    assert "A moderator reads their comments before they appear." in said
    assert "Warned 2 times." in said


def test_a_reader_with_no_standing_reads_as_before(moderator_client):
    _held(make_thread(), "Held.")

    said = _said(_history(moderator_client))

    assert "Banned" not in said and "Warned" not in said and "reads their comments" not in said


def test_a_card_is_named_by_its_author_and_article_not_by_its_checkbox(moderator_client):
    """A card (a labelled <article>) was named by its whole header, checkbox included, so a
    screen reader announced each as "Select the comment by Olena Olena on ... · Pending review"."""
    _held(make_thread(title="Talks in Istanbul"), "Held.")

    page = BeautifulSoup(moderator_client.get(PENDING).content, "html.parser")
    card = page.select_one("[data-mod-card]")
    name = " ".join(
        " ".join(page.find(id=part).get_text().split()) for part in card["aria-labelledby"].split()
    )

    assert name == "Olena on Talks in Istanbul"
