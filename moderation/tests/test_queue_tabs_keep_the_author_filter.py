"""A queue filtered to one author (a card's "Only this author's comments", or a count in its
history line) stays filtered when the moderator switches tabs, and "Show every author" clears
the filter."""

from __future__ import annotations

import itertools
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from discussion.models import Comment
from discussion.tests.factories import make_comment, make_thread
from moderation.models import CommentReview
from moderation.services import report_create

pytestmark = pytest.mark.django_db
_networks = itertools.count(1)


@pytest.fixture
def moderator_client(client, django_user_model):
    boss = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-long-enough")
    client.force_login(boss)
    return client


@pytest.fixture
def olena_and_taras() -> tuple[Comment, Comment]:
    """A held comment and a reported one by each of Olena and Taras, guests; Olena's first."""
    thread = make_thread()
    comments = {}
    for name in ("Olena", "Taras"):
        make_comment(thread, f"The minister is a moron, says {name}.", name=name)
        comments[name] = make_comment(thread, f"A fair point from {name}.", name=name)
        network = f"2001:db8:0:{next(_networks):x}::/64"
        report_create(comment=comments[name], reporter_key=f"guest:r{name}", network=network,
                      reason="abuse")  # fmt: skip
    return comments["Olena"], comments["Taras"]


def _key(comment: Comment) -> str:
    return CommentReview.objects.get(comment=comment).reader_key


def _page(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def _tabs(page: BeautifulSoup) -> dict[str, str]:
    return {
        link.select_one("[data-queue-count]")["data-queue-count"]: link["href"]
        for link in page.select('nav[aria-label="Queues"] a')
    }


def _authors(page: BeautifulSoup) -> list[str]:
    return [card.select_one("bdi").get_text() for card in page.select("[data-mod-card]")]


def test_the_tabs_of_a_queue_filtered_to_one_author_keep_that_author(
    moderator_client, olena_and_taras
):
    olena = _key(olena_and_taras[0])

    tabs = _tabs(_page(moderator_client.get("/admin/moderation/queue/pending/", {"author": olena})))

    for queue in ("pending", "reported", "unmoderated", "approved", "rejected"):
        assert parse_qs(urlsplit(tabs[queue]).query) == {"author": [olena]}, queue


def test_the_appeals_tab_which_has_no_filters_is_not_given_the_author(
    moderator_client, olena_and_taras
):
    olena = _key(olena_and_taras[0])

    tabs = _tabs(_page(moderator_client.get("/admin/moderation/queue/pending/", {"author": olena})))

    assert tabs["appeals"] == "/admin/moderation/queue/appeals/"


def test_switching_to_the_reported_tab_shows_only_that_authors_reported_comments(
    moderator_client, olena_and_taras
):
    olena = _key(olena_and_taras[0])
    pending = _page(moderator_client.get("/admin/moderation/queue/pending/", {"author": olena}))
    assert _authors(pending) == ["Olena"]

    reported = _page(moderator_client.get(_tabs(pending)["reported"]))

    assert _authors(reported) == ["Olena"]
    assert "Only comments by" in reported.select_one(".mod-filter--author").get_text()


def test_show_every_author_clears_the_filter_on_the_tab_switched_to(
    moderator_client, olena_and_taras
):
    olena = _key(olena_and_taras[0])
    pending = _page(moderator_client.get("/admin/moderation/queue/pending/", {"author": olena}))
    reported = _page(moderator_client.get(_tabs(pending)["reported"]))
    clear = reported.select_one(".mod-filter--author a")
    assert clear.get_text() == "Show every author"

    everyone = _page(moderator_client.get("/admin/moderation/queue/reported/" + clear["href"]))

    assert sorted(_authors(everyone)) == ["Olena", "Taras"]
    assert _tabs(everyone)["pending"] == "/admin/moderation/queue/pending/"
