"""A reader who recommended comments as a guest, then signs in in the same browser: what they
recommended there still shows pressed, and pressing it takes that recommendation back, so one
reader in one browser counts once. The recommendation stays the guest cookie's (a shared
browser's cookie may be another reader's: docs/architecture.md), as their guest comments do."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from discussion.models import Comment, Reaction
from discussion.services import reaction_toggle, thread_ensure
from discussion.tests.factories import make_comment
from discussion.tests.readers import PASSWORD, make_reader
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def scene():
    article = make_article()
    member = make_reader("Dana", email="dana@example.com")
    comment = make_comment(thread_ensure(page=article), "The first point.", name="Ola")
    return article, member, comment


def _react(client, comment, **extra):
    return client.post(f"/discussion/comments/{comment.pk}/react/", **extra)


def _sign_in(client) -> None:
    answer = client.post("/accounts/login/", {"login": "dana@example.com", "password": PASSWORD})
    assert answer.status_code == 302


def _count(comment) -> int:
    return Comment.objects.get(pk=comment.pk).reaction_count


def _button(client, article, comment):
    page = BeautifulSoup(client.get(article.url).content, "html.parser")
    return page.select_one(f"#react-{comment.pk} button")


def test_what_a_reader_recommended_as_a_guest_shows_pressed_once_they_sign_in(scene):
    article, _member, comment = scene
    browser = Client()
    _react(browser, comment)

    _sign_in(browser)

    button = _button(browser, article, comment)
    assert button["aria-pressed"] == "true"
    assert button.select_one(".reaction__count").get_text() == "1"


def test_pressing_it_signed_in_takes_the_guests_recommendation_back_not_a_second_one(scene):
    article, member, comment = scene
    browser = Client()
    _react(browser, comment)
    _sign_in(browser)

    swapped = _react(browser, comment, **HTMX)

    button = BeautifulSoup(swapped.content, "html.parser").select_one("button")
    assert button["aria-pressed"] == "false"
    assert _count(comment) == Reaction.objects.filter(comment=comment).count() == 0
    _react(browser, comment)  # pressed again: now the account's own
    assert list(Reaction.objects.values_list("reader_key", flat=True)) == [f"u{member.pk}"]
    assert _count(comment) == 1


def test_one_recommended_on_the_account_elsewhere_too_stays_pressed_as_the_guests_goes(scene):
    article, member, comment = scene
    reaction_toggle(comment=comment, reader_key="", user_id=member.pk)  # on another device
    browser = Client()
    _react(browser, comment)
    _sign_in(browser)
    assert _count(comment) == 2

    _react(browser, comment)

    assert _count(comment) == 1
    assert _button(browser, article, comment)["aria-pressed"] == "true"
