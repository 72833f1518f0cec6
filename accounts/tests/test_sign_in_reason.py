"""The sign-in page says a page is for signed-in readers only when it is.

The masthead's "Sign in" link on every page carries that page as ``next``; Wagtail's redirect
from a page behind a login (or group) view restriction does too. Only the second is a reader
being stopped on the way to something, so only then is the reader told why.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from wagtail.models import PageViewRestriction

from newsroom.tests.factories import make_article, make_home

pytestmark = pytest.mark.django_db

REASON = "The page you asked for is for signed-in readers."


def _text(response) -> str:
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text().split())


def _restrict(page, kind: str) -> None:
    PageViewRestriction.objects.create(
        page=page, restriction_type=kind, password="s3cret" if kind == "password" else ""
    )


def test_the_masthead_sign_in_link_from_a_public_article_does_not_say_it_is_for_members(client):
    article = make_article()

    response = client.get("/accounts/login/", {"next": article.url})

    assert response.status_code == 200
    assert REASON not in _text(response)


def test_the_masthead_sign_in_link_from_the_front_page_does_not_say_it_is_for_members(client):
    make_home()

    response = client.get("/accounts/login/", {"next": "/"})

    assert REASON not in _text(response)


def test_a_reader_sent_from_a_members_only_article_is_told_why(client):
    article = make_article()
    _restrict(article, PageViewRestriction.LOGIN)

    sent_to = client.get(article.url)["Location"]
    response = client.get(sent_to)

    assert REASON in _text(response)


GROUP_REASON = (
    "The page you asked for is open only to some readers' accounts. If yours is one of them, "
    "sign in and you will go straight on to it."
)


def test_a_reader_sent_from_a_page_for_a_group_is_told_why(client):
    article = make_article()
    _restrict(article, PageViewRestriction.GROUPS)

    response = client.get("/accounts/login/", {"next": article.url})

    # Not "for signed-in readers": signing in opens it only to an account in one of its groups.
    assert GROUP_REASON in _text(response)
    assert REASON not in _text(response)


def test_signing_up_is_not_offered_as_the_way_into_a_page_for_a_group(client):
    article = make_article()
    _restrict(article, PageViewRestriction.GROUPS)

    response = client.get("/accounts/signup/", {"next": article.url})

    assert GROUP_REASON in _text(response)
    assert "Create an account, confirm your email address, sign in, and you will go" not in (
        _text(response)
    )


def test_a_password_protected_page_is_not_called_a_page_for_signed_in_readers(client):
    article = make_article()
    _restrict(article, PageViewRestriction.PASSWORD)

    response = client.get("/accounts/login/", {"next": article.url})

    assert REASON not in _text(response)


def test_an_address_on_another_site_is_not_looked_up(client):
    response = client.get("/accounts/login/", {"next": "https://elsewhere.example/world/x/"})

    assert response.status_code == 200
    assert REASON not in _text(response)


def test_a_reader_sent_from_a_members_only_article_sees_its_headline_and_standfirst(client):
    article = make_article(title="Members' briefing: the guarantees")
    _restrict(article, PageViewRestriction.LOGIN)

    response = client.get(client.get(article.url)["Location"])

    reason = BeautifulSoup(response.content, "html.parser").select_one("#sign-in-reason")
    assert reason.select_one("h2").get_text(strip=True) == "Members' briefing: the guarantees"
    assert "A one-sentence summary of the story." in reason.get_text()
    assert "Negotiators met for three hours." not in _text(response)  # nothing of the body
