"""An article behind a Wagtail view restriction (a password, a login, a group) does not exist as far
as the API is concerned: it answers exactly like an id nobody ever used, whether the restriction is
on the article or on a section above it."""

from __future__ import annotations

import pytest
from wagtail.models import PageViewRestriction

from api.tests.helpers import article_with_comments
from newsroom.tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

URL = "/api/v1/threads/comments"
COUNTS = "/api/v1/articles/comment-counts"
MISSING = 999_999


def _restrict(page) -> None:
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )


@pytest.fixture
def private_section_article():
    """An article with comments in a password-protected section of its own."""
    article, _thread = article_with_comments(2, section=make_section("Private"))
    _restrict(article.get_parent())
    return article


def test_an_article_in_a_private_section_answers_like_a_missing_one(
    client, private_section_article
):
    private = client.get(URL, {"article": private_section_article.pk})
    missing = client.get(URL, {"article": MISSING})

    assert private.status_code == missing.status_code == 404
    assert private.content == missing.content


def test_an_article_restricted_itself_is_not_found_by_id_address_or_count(client):
    article, _thread = article_with_comments(1)
    _restrict(article)

    assert client.get(URL, {"article": article.pk}).status_code == 404
    assert client.get(URL, {"url": article.url}).status_code == 404
    assert client.get(COUNTS, {"ids": article.pk}).json() == {"counts": {}}


def test_a_private_section_leaves_public_articles_elsewhere_answering(
    client, private_section_article
):
    public, _thread = article_with_comments(1, replies_each=1)
    neighbour = make_article(section=make_section("Sport"))

    ids = f"{private_section_article.pk},{public.pk},{neighbour.pk}"
    counts = client.get(COUNTS, {"ids": ids}).json()["counts"]

    assert counts == {str(public.pk): 2, str(neighbour.pk): 0}
    assert client.get(URL, {"url": public.url}).json()["article_id"] == public.pk
    assert client.get(URL, {"url": private_section_article.url}).status_code == 404
