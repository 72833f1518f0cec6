"""A feed reader that already holds the latest feed is told so in a few bytes (304 Not Modified),
until an editor publishes something the feed lists."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.http import http_date

from newsroom.models import ArticlePage
from newsroom.tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def _published_an_hour_ago(article: ArticlePage) -> ArticlePage:
    """Publish times a whole second apart from "now", as HTTP dates count in seconds."""
    an_hour_ago = timezone.now() - timedelta(hours=1)
    ArticlePage.objects.filter(pk=article.pk).update(
        first_published_at=an_hour_ago, last_published_at=an_hour_ago
    )
    article.refresh_from_db()
    return article


def _feed_urls(article: ArticlePage) -> list[str]:
    section = article.get_parent().slug
    author = article.article_authors.get().author.slug
    return [
        f"/feeds/{kind}/{scope}"
        for kind in ("rss", "atom")
        for scope in ("", f"section/{section}/", f"author/{author}/")
    ]


def test_a_reader_holding_the_latest_feed_is_told_it_is_not_modified_with_no_body(client):
    article = _published_an_hour_ago(make_article())
    given = http_date(article.last_published_at.timestamp())

    for url in _feed_urls(article):
        assert client.get(url)["Last-Modified"] == given, url
        again = client.get(url, HTTP_IF_MODIFIED_SINCE=given)
        assert (again.status_code, again.content) == (304, b""), url


def test_not_modified_is_answered_without_drawing_the_feed(client, django_assert_num_queries):
    _published_an_hour_ago(make_article())
    last_modified = client.get("/feeds/rss/")["Last-Modified"]

    # The view restrictions, then the newest publish time: no article, author or image is read.
    with django_assert_num_queries(2):
        again = client.get("/feeds/rss/", HTTP_IF_MODIFIED_SINCE=last_modified)
    assert again.status_code == 304


def test_once_a_new_article_is_published_the_reader_gets_the_feed_with_it(client):
    section = make_section()
    _published_an_hour_ago(make_article(section=section, title="Talks resume"))
    url = f"/feeds/atom/section/{section.slug}/"
    last_modified = client.get(url)["Last-Modified"]
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304

    make_article(section=section, title="Talks collapse")

    response = client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert response.status_code == 200
    assert b"Talks collapse" in response.content


def test_once_an_article_is_republished_the_reader_gets_the_feed_with_its_new_headline(client):
    article = _published_an_hour_ago(make_article(title="Talks resume"))
    last_modified = client.get("/feeds/rss/")["Last-Modified"]
    assert client.get("/feeds/rss/", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304

    article.title = "Talks resume in Istanbul"
    article.save_revision().publish()

    response = client.get("/feeds/rss/", HTTP_IF_MODIFIED_SINCE=last_modified)
    assert response.status_code == 200
    assert b"Talks resume in Istanbul" in response.content
