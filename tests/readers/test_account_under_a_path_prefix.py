"""A site served under a path prefix (https://example.org/news/, docs/deploy.md) keeps a reader
under it through signing in, signing out and deleting their account: behind a proxy that passes
only /news/ to the site, an address outside it is another site's, or nobody's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import clear_script_prefix, set_script_prefix
from wagtail.models import PageViewRestriction

from discussion.tests.readers import make_reader, reauthenticate
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

PASSWORD = "pw-12345"  # make_reader's


@pytest.fixture
def under_news() -> Iterator[None]:
    # What Django's WSGI handler does with a request's SCRIPT_NAME (the test client does not).
    set_script_prefix("/news/")
    try:
        yield
    finally:
        clear_script_prefix()


def test_signing_in_from_the_masthead_lands_on_the_front_page_under_the_prefix(under_news):
    make_reader("Ada", email="ada@example.com")

    response = Client().post(
        "/accounts/login/",
        {"login": "ada@example.com", "password": PASSWORD},
        SCRIPT_NAME="/news",
    )

    assert response.status_code == 302
    assert response["Location"] == "/news/"


def test_signing_out_lands_on_the_front_page_under_the_prefix(client, under_news):
    client.force_login(make_reader("Ada"))

    response = client.post("/accounts/logout/", SCRIPT_NAME="/news")

    assert response.status_code == 302
    assert response["Location"] == "/news/"


def test_a_profile_form_pressed_after_the_session_ended_asks_to_sign_in_under_the_prefix(
    under_news,
):
    response = Client().post("/readers/me/export/", SCRIPT_NAME="/news")

    assert response.status_code == 302
    assert response["Location"].startswith("/news/accounts/login/?next=/news/readers/me/export/")


def test_deleting_the_account_lands_on_the_front_page_under_the_prefix(client, under_news):
    client.force_login(make_reader("Ada"))
    reauthenticate(client, SCRIPT_NAME="/news")

    response = client.post("/readers/me/delete/", {"confirm": "yes"}, SCRIPT_NAME="/news")

    assert response.status_code == 302
    assert response["Location"] == "/news/?account=deleted"


def test_a_members_only_article_asks_to_sign_in_under_the_prefix(under_news):
    article = make_article()
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)

    # Its address under the prefix is /news/<path>; the request's path within the site is <path>.
    response = Client().get(article.url.removeprefix("/news"), SCRIPT_NAME="/news")

    assert response.status_code == 302
    assert response["Location"].startswith("/news/accounts/login/?next=")


def test_the_sign_in_page_says_which_members_only_article_it_is_for_under_the_prefix(under_news):
    article = make_article(title="What Kyiv asks of its guarantors")
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
    client = Client()

    sent_to = client.get(article.url.removeprefix("/news"), SCRIPT_NAME="/news")["Location"]
    response = client.get(sent_to.removeprefix("/news"), SCRIPT_NAME="/news")

    text = " ".join(BeautifulSoup(response.content, "html.parser").get_text().split())
    assert "The page you asked for is for signed-in readers." in text
    assert "What Kyiv asks of its guarantors" in text
