"""A guest who has just posted finds their display name already in the fresh form."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

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
