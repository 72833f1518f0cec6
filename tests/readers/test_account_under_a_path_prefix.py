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

from core.envsettings import cookie_path
from discussion.models import Comment
from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
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


# --- Cookies: for the prefix only, so another site on the host neither gets nor overwrites them


@pytest.fixture
def news_site(settings, under_news) -> None:
    """The settings a site under /news starts with (broadsheet/settings.py derives the cookies'
    path from SITE_BASE_URL; core.tests.test_settings_startup checks it does)."""
    settings.SITE_BASE_URL = "https://example.org/news"
    path = cookie_path(settings.SITE_BASE_URL)
    settings.SESSION_COOKIE_PATH = settings.CSRF_COOKIE_PATH = settings.LANGUAGE_COOKIE_PATH = path


def _paths(response) -> dict[str, str]:
    """Each cookie the answer sets (or deletes), with the Path it is for."""
    return {name: morsel["path"] for name, morsel in response.cookies.items()}


def _post_a_guest_comment(client, article, body: str, email: str):
    return client.post(
        article.url.removeprefix("/news"),
        {"body": body, "author_name": "Ira K.", "author_email": email, "idempotency_key": body},
        SCRIPT_NAME="/news",
    )


def test_signing_in_through_the_checked_form_sets_its_cookies_for_the_prefix_only(news_site):
    make_reader("Ada", email="ada@example.com")
    browser = Client(enforce_csrf_checks=True)
    form = browser.get("/accounts/login/", SCRIPT_NAME="/news")
    token = BeautifulSoup(form.content, "html.parser").find(
        "input", attrs={"name": "csrfmiddlewaretoken"}
    )["value"]

    response = browser.post(
        "/accounts/login/",
        {"login": "ada@example.com", "password": PASSWORD, "csrfmiddlewaretoken": token},
        SCRIPT_NAME="/news",
    )

    assert response.status_code == 302
    assert _paths(form) == {"csrftoken": "/news"}
    assert "sessionid" in _paths(response)
    assert set(_paths(response).values()) == {"/news"}


def test_signing_out_clears_the_cookies_it_set_under_the_prefix(client, news_site):
    client.force_login(make_reader("Ada"))

    response = client.post("/accounts/logout/", SCRIPT_NAME="/news")

    assert response.cookies["sessionid"]["max-age"] == 0  # the session's cookie deleted
    assert "messages" in _paths(response)  # "You have signed out."
    assert set(_paths(response).values()) == {"/news"}


def test_a_guests_comment_remembers_them_in_cookies_for_the_prefix_only(client, news_site):
    response = _post_a_guest_comment(client, make_article(), "First thoughts.", "ira@example.com")

    assert response.status_code == 302
    assert {"broadsheet_guest_comments", "broadsheet_guest_name", "broadsheet_guest_email"} <= set(
        _paths(response)
    )
    assert set(_paths(response).values()) == {"/news"}


def test_a_guest_who_gives_no_email_next_time_has_it_forgotten_under_the_prefix(client, news_site):
    article = make_article()
    _post_a_guest_comment(client, article, "First thoughts.", "ira@example.com")

    response = _post_a_guest_comment(client, article, "Second thoughts.", "")

    forgotten = response.cookies["broadsheet_guest_email"]
    assert (forgotten["max-age"], forgotten["path"]) == (0, "/news")


def test_a_guests_reaction_keeps_its_dedupe_cookie_under_the_prefix(client, news_site):
    comment = make_comment(thread_ensure(page=make_article()), "Worth reading.")

    response = client.post(f"/discussion/comments/{comment.pk}/react/", SCRIPT_NAME="/news")

    assert response.status_code in (200, 302)
    assert _paths(response)["broadsheet_guest"] == "/news"


def test_a_guest_deleting_their_comment_is_remembered_under_the_prefix(client, news_site):
    _post_a_guest_comment(client, make_article(), "First thoughts.", "")
    comment = Comment.objects.get(body="First thoughts.")

    response = client.post(f"/discussion/comments/{comment.pk}/delete/", SCRIPT_NAME="/news")

    assert response.status_code == 302
    assert _paths(response)["broadsheet_deleted_comments"] == "/news"
