"""WCAG 3.3.7 (Redundant Entry): the email address a guest gave with one comment is offered
again in their next comment form and reply forms, while their browser stays open (a cookie with
no expiry, unlike the name's year), and never to anyone else."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from core.client import GUEST_EMAIL_COOKIE
from discussion.models import Comment
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _email_in(response, form_id: str = "comment-form") -> str:
    form = BeautifulSoup(response.content, "html.parser").find("form", id=form_id)
    return form.find("input", attrs={"name": "author_email"}).get("value", "")


def _post(client, article, body: str, email: str, **headers):
    return client.post(
        article.url,
        {"body": body, "author_name": "Ira K.", "author_email": email, "idempotency_key": body},
        **headers,
    )


def test_the_form_after_a_guests_comment_offers_their_email_again(client):
    article = make_article()

    response = _post(client, article, "First thoughts.", "ira@example.com", **HTMX)

    assert _email_in(response) == "ira@example.com"


def test_a_guest_coming_back_to_the_article_finds_their_email_in_the_comment_form(client):
    article = make_article()
    _post(client, article, "First thoughts.", "ira@example.com")

    later = client.get(article.url)

    assert _email_in(later) == "ira@example.com"


def test_a_guest_replying_later_finds_their_email_in_the_reply_form(client):
    article = make_article()
    _post(client, article, "First thoughts.", "ira@example.com")
    comment = Comment.objects.get(body="First thoughts.")

    form = client.get(f"/discussion/comments/{comment.pk}/reply/", **HTMX)

    assert _email_in(form, f"reply-form-{comment.pk}") == "ira@example.com"


def test_the_email_is_kept_only_until_the_browser_closes(client):
    article = make_article()

    response = _post(client, article, "First thoughts.", "ira@example.com")

    cookie = response.cookies[GUEST_EMAIL_COOKIE]
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    assert cookie["httponly"]


def test_the_form_offers_the_last_email_given_and_none_once_a_comment_gave_none(client):
    article = make_article()
    _post(client, article, "First thoughts.", "ira@example.com")
    assert _email_in(client.get(article.url)) == "ira@example.com"

    _post(client, article, "Second thoughts, no address this time.", "")

    assert _email_in(client.get(article.url)) == ""


def test_an_email_in_a_cookie_another_site_made_up_is_not_filled_in(client):
    article = make_article()
    client.cookies[GUEST_EMAIL_COOKIE] = "planted@example.com"

    page = client.get(article.url)

    assert _email_in(page) == ""
