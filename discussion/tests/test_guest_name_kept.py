"""A guest who has just posted finds their display name already in the fresh form."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.core import signing

from discussion.models import Comment
from discussion.tests.readers import make_reader
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _fresh_form(response):
    return BeautifulSoup(response.content, "html.parser").find("form", id="comment-form")


def test_the_form_after_a_guests_comment_keeps_their_name(client):
    article = make_article()

    response = client.post(
        article.url,
        {"body": "First thoughts.", "author_name": "Ira K.", "idempotency_key": "a"},
        **HTMX,
    )

    fresh = _fresh_form(response)
    assert fresh.find("input", attrs={"name": "author_name"})["value"] == "Ira K."
    assert fresh.find("textarea").get_text() == ""


def test_the_form_after_a_members_comment_asks_no_name(client):
    article = make_article()
    client.force_login(make_reader("Ada"))

    response = client.post(article.url, {"body": "As a member.", "idempotency_key": "b"}, **HTMX)

    name = _fresh_form(response).find("input", attrs={"name": "author_name"})
    assert name is None or name.get("value", "") == ""


def test_a_guest_coming_back_later_finds_their_name_in_the_comment_form(client):
    article = make_article()
    client.post(
        article.url, {"body": "First thoughts.", "author_name": "Ira K.", "idempotency_key": "c"}
    )

    later = client.get(article.url)

    assert _fresh_form(later).find("input", attrs={"name": "author_name"})["value"] == "Ira K."


def test_a_guest_replying_later_finds_their_name_in_the_reply_form(client):
    article = make_article()
    client.post(
        article.url, {"body": "First thoughts.", "author_name": "Ira K.", "idempotency_key": "d"}
    )
    comment = Comment.objects.get(body="First thoughts.")

    form = client.get(f"/discussion/comments/{comment.pk}/reply/", **HTMX)

    soup = BeautifulSoup(form.content, "html.parser")
    assert soup.find("input", attrs={"name": "author_name"})["value"] == "Ira K."


def test_a_name_in_a_cookie_another_site_made_up_is_not_filled_in(client):
    article = make_article()
    client.cookies["broadsheet_guest_name"] = "Impostor"

    page = client.get(article.url)

    assert _fresh_form(page).find("input", attrs={"name": "author_name"}).get("value", "") == ""


def _sendable(response) -> list[bytes]:
    """Each Set-Cookie header as a server sends it: HTTP carries headers as Latin-1, and the app
    server (core.django_threads) fails the whole answer with a 500 on one that is not."""
    return [
        cookie.output(header="").strip().encode("latin-1") for cookie in response.cookies.values()
    ]


def test_a_guest_named_in_cyrillic_gets_an_answer_the_server_can_send(client):
    article = make_article()

    response = client.post(
        article.url,
        {"body": "Thoughts from Kharkiv.", "author_name": "Олена Коваль", "idempotency_key": "e"},
    )

    assert response.status_code == 302
    assert any(b"broadsheet_guest_name" in header for header in _sendable(response))


def test_a_guest_named_in_cyrillic_finds_the_name_in_the_form_later(client):
    article = make_article()
    client.post(
        article.url,
        {"body": "Thoughts from Kharkiv.", "author_name": "Олена Коваль", "idempotency_key": "f"},
    )

    later = client.get(article.url)

    name = _fresh_form(later).find("input", attrs={"name": "author_name"})
    assert name["value"] == "Олена Коваль"


def test_an_address_at_a_cyrillic_domain_is_offered_again_and_sendable(client):
    article = make_article()
    response = client.post(
        article.url,
        {
            "body": "Thoughts from Lviv.",
            "author_name": "Taras",
            "author_email": "taras@приклад.укр",
            "idempotency_key": "g",
        },
    )
    assert response.status_code == 302
    assert any(b"broadsheet_guest_email" in header for header in _sendable(response))

    later = client.get(article.url)

    email = _fresh_form(later).find("input", attrs={"name": "author_email"})
    assert email["value"] == "taras@приклад.укр"


def test_a_name_kept_before_names_were_encoded_is_still_filled_in(client):
    # A browser that commented before keeps its cookie: the name as it was typed, signed.
    article = make_article()
    client.cookies["broadsheet_guest_name"] = signing.get_cookie_signer(
        salt="broadsheet_guest_name" + "broadsheet.guest-name"
    ).sign("Zoë O'Brien")

    page = client.get(article.url)

    assert _fresh_form(page).find("input", attrs={"name": "author_name"})["value"] == "Zoë O'Brien"
