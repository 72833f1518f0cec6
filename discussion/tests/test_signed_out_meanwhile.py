"""A member's comment sent after their session ended (it timed out, or they signed out on
another device): nothing is posted, not even under a guest's name, and the form comes back with
the text, saying why, with the way to sign in again. It came back as a guest's form asking for a
display name, which told the member nothing of what had happened."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from discussion.models import Comment
from discussion.tests.readers import make_reader
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

TEXT = "The guarantees offered in Istanbul would need parliaments to ratify them."


def _members_form(client, article) -> dict:
    client.force_login(make_reader("Ada"))
    page = BeautifulSoup(client.get(article.url).content, "html.parser")
    form = page.select_one("form#comment-form")
    return {field["name"]: field.get("value", "") for field in form.select("input[name]")}


def test_a_members_comment_sent_after_their_session_ended_is_not_posted_and_says_why(client):
    article = make_article()
    fields = _members_form(client, article)
    client.logout()  # the session ends while the member writes

    response = client.post(article.url, {**fields, "body": TEXT})

    assert response.status_code == 400
    assert not Comment.objects.exists()
    page = BeautifulSoup(response.content, "html.parser")
    errors = page.select_one("#comment-form-errors")
    assert "you were signed out before it was sent" in errors.get_text()
    assert errors.find("a", string="Sign in again")["href"].startswith("/accounts/login/")
    assert page.select_one("#comment-form-body").get_text() == TEXT


def test_with_htmx_the_form_comes_back_in_place_with_the_text(client):
    article = make_article()
    fields = _members_form(client, article)
    client.logout()

    response = client.post(article.url, {**fields, "body": TEXT}, HTTP_HX_REQUEST="true")

    assert response.status_code == 422
    assert not Comment.objects.exists()
    form = BeautifulSoup(response.content, "html.parser").select_one("form#comment-form")
    assert "you were signed out before it was sent" in form.get_text()
    assert form.select_one("textarea[name=body]").get_text() == TEXT


def test_a_guests_form_posts_as_it_always_did(client):
    article = make_article()
    response = client.post(
        article.url, {"body": TEXT, "author_name": "Olena", "idempotency_key": ""}
    )
    assert response.status_code == 302
    assert Comment.objects.get().author_name == "Olena"
