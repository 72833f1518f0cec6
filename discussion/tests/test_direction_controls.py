"""A comment with a bidi override or isolate is refused, with the text kept: such a control shows
letters in an order other than the one screening reads ("citsatprolb" inside an override shows
as a banned "blorptastic"), as display names already refuse them."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from discussion.models import Comment
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_a_comment_with_a_right_to_left_override_is_refused_with_its_text_kept(client):
    article = make_article()
    body = "This is \u202ecitsatprolb\u202c news for the city."

    response = client.post(
        article.url, {"body": body, "author_name": "Olena", "idempotency_key": ""}
    )

    assert response.status_code == 400
    page = BeautifulSoup(response.content, "html.parser")
    assert "invisible text-direction control (U+202E)" in page.select_one("#comments").get_text()
    assert page.select_one("textarea[name=body]").text == body
    assert not Comment.objects.exists()
