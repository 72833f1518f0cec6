"""A signed-in account always comments as itself. One with no reader profile yet (staff made in
the admin or by createsuperuser) is shown the name it will comment under, never a box to type one,
and its first comment gives it that profile."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model

from accounts.models import Reader
from discussion.models import Comment
from discussion.tests.readers import make_reader
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def staff():
    """A superuser as createsuperuser makes it: no reader profile."""
    return get_user_model().objects.create_superuser(
        "okoval", "okoval@example.invalid", "pw-12345", first_name="Olha", last_name="Koval"
    )


def _form(response):
    return BeautifulSoup(response.content, "html.parser").find("form", id="comment-form")


def test_the_form_shows_the_name_it_will_comment_under_and_asks_for_none(client, staff):
    article = make_article()
    client.force_login(staff)

    form = _form(client.get(article.url))

    assert form.find("input", attrs={"name": "author_name"}) is None
    assert form.select_one(".comment-form__as").get_text(" ", strip=True) == (
        "OK Commenting as Olha Koval"
    )


def test_its_first_comment_goes_out_under_its_own_name_with_no_name_typed(client, staff):
    article = make_article()
    client.force_login(staff)

    response = client.post(article.url, {"body": "Reporter here.", "idempotency_key": "a"})

    assert response.status_code == 302
    comment = Comment.objects.get(body="Reporter here.")
    assert (comment.author_name, comment.author_id) == ("Olha Koval", staff.pk)
    assert Reader.objects.get(user=staff).display_name == "Olha Koval"


def test_a_name_typed_with_the_comment_is_not_used(client, staff):
    article = make_article()
    client.force_login(staff)

    client.post(
        article.url,
        {"body": "Reporter here.", "author_name": "Somebody Else", "idempotency_key": "b"},
    )

    assert Comment.objects.get(body="Reporter here.").author_name == "Olha Koval"


def test_every_comment_after_the_first_is_under_the_same_name(client, staff):
    article = make_article()
    client.force_login(staff)

    client.post(article.url, {"body": "First.", "idempotency_key": "c"}, **HTMX)
    response = client.post(
        article.url, {"body": "Second.", "author_name": "Other", "idempotency_key": "d"}, **HTMX
    )

    assert response.status_code == 200
    names = set(Comment.objects.filter(author_id=staff.pk).values_list("author_name", flat=True))
    assert names == {"Olha Koval"}
    assert Reader.objects.filter(user=staff).count() == 1
    assert "Commenting as" in _form(response).get_text()


def test_a_taken_name_gives_the_variant_the_form_showed(client, staff):
    make_reader("Olha Koval")
    article = make_article()
    client.force_login(staff)

    shown = _form(client.get(article.url)).select_one(".comment-form__as strong").get_text()
    client.post(article.url, {"body": "Reporter here.", "idempotency_key": "e"})

    assert shown == "Olha Koval 2"
    assert Comment.objects.get(body="Reporter here.").author_name == "Olha Koval 2"


def test_a_refused_comment_comes_back_with_the_text_and_no_name_box(client, staff):
    article = make_article()
    client.force_login(staff)
    body = "x" * 100_000

    response = client.post(article.url, {"body": body, "idempotency_key": "f"})

    form = _form(response)
    assert response.status_code == 400
    assert form.find("textarea", attrs={"name": "body"}).get_text() == body
    assert form.find("input", attrs={"name": "author_name"}) is None
    assert not Comment.objects.filter(author_id=staff.pk).exists()


def test_the_api_posts_it_under_its_own_name(client, staff):
    article = make_article()
    client.force_login(staff)

    answer = client.post(
        "/api/v1/comments",
        {"article": article.pk, "body": "Via the API.", "author_name": "Typed"},
        content_type="application/json",
    )

    assert answer.status_code == 201, answer.content
    assert answer.json()["author_name"] == "Olha Koval"
    assert Comment.objects.get(body="Via the API.").author_name == "Olha Koval"
