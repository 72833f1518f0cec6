"""A comment's link (/c/<id>/) on a members-only article, followed while signed out.

An article behind a login restriction is open to any signed-in reader, so its comment links send
a signed-out reader to sign in and then on to the comment. Behind a group or a password the
link stays as missing as the discussion. Nothing of the comment or the article's body reaches
the signed-out reader on the way.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from wagtail.models import PageViewRestriction

from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

WORDS = "A members-only thought about the guarantees."


def _comment_behind(kind: str):
    article = make_article(title="Members' briefing: the guarantees")
    comment = make_comment(thread_ensure(page=article), WORDS)
    PageViewRestriction.objects.create(
        page=article, restriction_type=kind, password="s3cret" if kind == "password" else ""
    )
    return article, comment


def test_a_signed_out_reader_is_sent_to_sign_in_and_back_to_the_comment(client):
    _article, comment = _comment_behind(PageViewRestriction.LOGIN)

    answer = client.get(f"/c/{comment.pk}/")

    assert answer.status_code == 302
    sent_to = urlsplit(answer["Location"])
    assert sent_to.path == "/accounts/login/"
    assert parse_qs(sent_to.query)["next"] == [f"/c/{comment.pk}/"]


def test_the_sign_in_page_names_the_article_and_shows_nothing_of_the_comment(client):
    _article, comment = _comment_behind(PageViewRestriction.LOGIN)

    page = client.get(client.get(f"/c/{comment.pk}/")["Location"])

    text = BeautifulSoup(page.content, "html.parser").get_text()
    assert "Members' briefing: the guarantees" in text
    assert WORDS not in text
    assert "Negotiators met for three hours." not in text
