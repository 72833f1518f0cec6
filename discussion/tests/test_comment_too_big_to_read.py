"""A comment form whose body is over what the site reads (Django's DATA_UPLOAD_MAX_MEMORY_SIZE: a
pasted file, megabytes of text) is answered 413 with a page that says what happened and what to
do (go back, where the text still is, and shorten it), not the bare "Bad request" page."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from discussion.models import Comment
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_a_comment_too_big_to_read_says_so_and_how_to_send_it(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 20_000
    article = make_article()

    response = client.post(article.url, {"body": "y" * 30_000, "author_name": "Ira"})

    assert response.status_code == 413
    page = BeautifulSoup(response.content, "html.parser")
    said = page.find("main").get_text(" ", strip=True)
    assert "too long" in said
    assert "5,000 characters" in said
    assert "back" in said.lower()
    assert not Comment.objects.exists()
