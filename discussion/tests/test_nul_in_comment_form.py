"""A NUL character in the article's comment form is refused in the project's words, the same
sentence the edit page and the JSON API give, on the field that holds it, with the reader's text
kept and nothing saved."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.urls import reverse

from discussion.models import Comment
from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from discussion.tests.readers import make_reader
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
SENTENCE = "Your comment contains a NUL character, which is not allowed."


def _errors(response, field: str) -> str:
    form = BeautifulSoup(response.content, "html.parser").find("form", id="comment-form")
    return form.select_one(f"#comment-form-{field}-error").get_text(strip=True)


@pytest.mark.parametrize("extra", [{}, HTMX], ids=["page", "htmx"])
def test_a_nul_in_the_comment_is_refused_in_the_projects_words(client, extra):
    article = make_article()

    response = client.post(
        article.url,
        {"body": "hello\x00world", "author_name": "Ira", "idempotency_key": "a"},
        **extra,
    )

    assert response.status_code in (400, 422)
    assert _errors(response, "body") == SENTENCE
    assert b"Null characters are not allowed" not in response.content
    assert not Comment.objects.exists()


def test_previewing_a_comment_with_a_nul_says_the_same(client):
    article = make_article()

    response = client.post(
        article.url, {"body": "hello\x00world", "author_name": "Ira", "preview": "1"}
    )

    assert response.status_code == 400
    assert _errors(response, "body") == SENTENCE


def test_a_nul_in_the_display_name_is_refused_on_the_name(client):
    article = make_article()

    response = client.post(
        article.url, {"body": "Hello.", "author_name": "Ira\x00", "idempotency_key": "b"}
    )

    assert response.status_code == 400
    assert _errors(response, "name") == (
        "Your display name contains a NUL character, which is not allowed."
    )
    assert not Comment.objects.exists()


def _posted_sending_no_nul_to_the_database(client, article, data: dict):
    """Post ``data``; PostgreSQL refuses a NUL in a query (a 500, not a refusal), so assert
    that none was sent."""
    sent: list = []

    def record(execute, sql, params, many, context):
        sent.extend(params or ())
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = client.post(article.url, data)
    assert not [param for param in sent if isinstance(param, str) and "\x00" in param]
    return response


def test_a_display_name_of_nuls_alone_is_refused_not_looked_up(client):
    # Its loose key keeps the NULs, so it was compared with members' names as it stood.
    article = make_article()

    response = _posted_sending_no_nul_to_the_database(
        client, article, {"body": "Hello.", "author_name": "\x00\x00", "idempotency_key": "c"}
    )

    assert response.status_code == 400
    assert "NUL character" in _errors(response, "name")


def test_an_email_address_with_a_nul_is_refused_as_not_an_address(client):
    article = make_article()

    response = _posted_sending_no_nul_to_the_database(
        client,
        article,
        {"body": "Hello.", "author_name": "Ira", "author_email": "ira\x00@example.com"},
    )

    assert response.status_code == 400
    assert _errors(response, "email").startswith("That doesn't look like an email address")
    assert not Comment.objects.exists()


def test_the_edit_page_and_the_api_give_the_same_sentence(client):
    ada = make_reader("Ada")
    client.force_login(ada)
    article = make_article()
    comment = make_comment(thread_ensure(page=article), "First words.", name="Ada", user_id=ada.pk)

    edit = client.post(
        reverse("discussion:comment_edit", args=[comment.pk]), {"body": "hello\x00world"}
    )
    api = client.post(
        "/api/v1/comments",
        json.dumps({"article": article.pk, "body": "hello\x00world"}),
        content_type="application/json",
    )
    form = client.post(article.url, {"body": "hello\x00world", "idempotency_key": "d"})

    assert SENTENCE in edit.content.decode()
    assert api.json()["errors"]["body"] == [SENTENCE]
    assert _errors(form, "body") == SENTENCE
