"""A queue's text search and reason filter look through so many of its newest comments a page
(MODERATION_QUEUE_SEARCH_DEPTH) and say where they stopped, with a way to search the older
ones: no index holds a comment's words, and a search of the whole Unmoderated queue on a
300,000-comment site read every comment in it (2.4 s) before it answered."""

from __future__ import annotations

import itertools

import pytest
from bs4 import BeautifulSoup

from discussion.tests.factories import make_comment, make_thread
from moderation.services import report_create

pytestmark = pytest.mark.django_db

UNMODERATED = "/admin/moderation/queue/unmoderated/"
REPORTED = "/admin/moderation/queue/reported/"

_networks = itertools.count(1)


def _page(client, url: str, params: dict | None = None) -> BeautifulSoup:
    response = client.get(url, params or {})
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def _authors(page: BeautifulSoup) -> list[str]:
    return [card.select_one("header strong").get_text() for card in page.select("[data-mod-card]")]


def _stopped(page: BeautifulSoup) -> str:
    said = page.select_one("[data-mod-search-stopped]")
    return " ".join(said.get_text().split()) if said else ""


def _search_older(page: BeautifulSoup) -> str:
    return next(a["href"] for a in page.select("a") if a.get_text() == "Search older comments")


def _queue_of_five() -> None:
    """Five comments in the Unmoderated queue, the oldest the only one about a zorkbat."""
    thread = make_thread()
    make_comment(thread, "The zorkbat budget was wasted.", name="Olena")
    for n in range(4):
        make_comment(thread, f"The council met on Tuesday, item {n}.", name=f"Reader {n}")


def test_a_search_looks_through_the_newest_comments_and_says_where_it_stopped(
    moderator_client, settings
):
    settings.MODERATION_QUEUE_SEARCH_DEPTH = 3
    _queue_of_five()

    page = _page(moderator_client, UNMODERATED, {"q": "zorkbat"})

    assert _authors(page) == []
    assert page.select_one("[data-mod-empty]").get_text() == "None of these comments matches."
    assert _stopped(page).startswith("Searched the newest 3 comments of this queue, back to one ")
    assert _stopped(page).endswith("Older comments were not searched. Search older comments")


def test_search_older_comments_goes_on_from_where_the_search_stopped(moderator_client, settings):
    settings.MODERATION_QUEUE_SEARCH_DEPTH = 3
    _queue_of_five()
    first = _page(moderator_client, UNMODERATED, {"q": "zorkbat"})

    older = _page(moderator_client, UNMODERATED + _search_older(first))

    assert _authors(older) == ["Olena"]
    assert _stopped(older) == ""  # the queue's end: nothing older is left unsearched


def test_a_reason_filter_looks_through_the_newest_comments_and_says_where_it_stopped(
    moderator_client, settings
):
    settings.MODERATION_QUEUE_SEARCH_DEPTH = 3
    _queue_of_five()

    page = _page(moderator_client, UNMODERATED, {"reason": "nothing-has-this-reason"})

    assert _authors(page) == []
    assert _stopped(page).startswith("Searched the newest 3 comments of this queue")
    older = _page(moderator_client, UNMODERATED + _search_older(page))
    assert older.select_one("[data-mod-empty]").get_text() == "No comment in this queue matches."
    assert _stopped(older) == ""


def test_a_search_shows_what_it_found_among_the_newest_and_where_it_stopped(
    moderator_client, settings
):
    settings.MODERATION_QUEUE_SEARCH_DEPTH = 3
    _queue_of_five()

    page = _page(moderator_client, UNMODERATED, {"q": "council"})

    assert _authors(page) == ["Reader 3", "Reader 2", "Reader 1"]
    assert _stopped(page).startswith("Searched the newest 3 comments")
    assert _authors(_page(moderator_client, UNMODERATED + _search_older(page))) == ["Reader 0"]


def test_a_search_of_a_queue_smaller_than_its_reach_says_nothing_of_stopping(moderator_client):
    _queue_of_five()

    page = _page(moderator_client, UNMODERATED, {"q": "zorkbat"})

    assert _authors(page) == ["Olena"]
    assert _stopped(page) == ""


def test_the_reported_queue_is_searched_newest_report_first_and_goes_on_from_there(
    moderator_client, settings
):
    settings.MODERATION_QUEUE_SEARCH_DEPTH = 2
    thread = make_thread()
    comments = [make_comment(thread, "The zorkbat budget was wasted.", name="Olena")]
    comments += [make_comment(thread, f"The council met, item {n}.", name=f"R{n}") for n in "12"]
    for comment in comments:  # Olena's reported first: the last the queue shows
        network = f"2001:db8:0:{next(_networks):x}::/64"
        report_create(comment=comment, reporter_key="guest:r", network=network, reason="abuse")

    page = _page(moderator_client, REPORTED, {"q": "zorkbat"})

    assert _authors(page) == []
    # Ordered by their reports, not by when the comments were posted: no date is given.
    assert _stopped(page) == (
        "Searched the newest 2 comments of this queue. Older comments were not searched. "
        "Search older comments"
    )
    assert _authors(_page(moderator_client, REPORTED + _search_older(page))) == ["Olena"]
