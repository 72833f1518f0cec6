"""A refused comment does not leave the screen reader's status saying an earlier one was saved."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def _post(client, article, body: str):
    form = {"body": body, "author_name": "Ira", "idempotency_key": ""}
    return BeautifulSoup(client.post(article.url, form, **HTMX).content, "html.parser")


def test_a_rate_limited_comment_clears_the_status_an_earlier_comment_left(client, settings):
    settings.COMMENT_RATE_LIMIT = "1/h"
    article = make_article()
    posted = _post(client, article, "First comment")
    assert "was posted" in posted.find(id="discussion-status").get_text()

    refused = _post(client, article, "Second, too soon")

    assert "faster than this site allows" in refused.select_one("#comment-form-errors").get_text()
    status = refused.find(id="discussion-status")
    assert status["hx-swap-oob"] == "innerHTML"
    assert status.get_text() == ""
