"""A thread's page says whether the article still takes comments (``comments_open``), so a
partner's page can show a form or say the discussion is closed, as the article page does."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from discussion.services import thread_ensure, thread_set_closed
from discussion.tests.factories import make_comment
from newsroom.models import ArticlePage
from newsroom.tests.factories import make_article
from newsroom.tests.test_page_cache import asgi

pytestmark = pytest.mark.django_db


def _published_days_ago(days: int) -> ArticlePage:
    article = make_article()
    ArticlePage.objects.filter(pk=article.pk).update(
        first_published_at=timezone.now() - timedelta(days=days)
    )
    return article


def _open(client, article) -> bool:
    response = client.get(f"/api/v1/threads/comments?article={article.pk}")
    assert response.status_code == 200
    return response.json()["comments_open"]


def test_an_article_taking_comments_says_so_and_stops_once_an_editor_closes_it(client):
    article = make_article()
    thread = thread_ensure(page=article)
    make_comment(thread, "Before it closed.")
    assert _open(client, article) is True

    thread_set_closed(thread=thread, closed=True)

    assert _open(client, article) is False


@pytest.mark.parametrize("commented", [True, False], ids=["with-comments", "no-comments-yet"])
def test_an_article_past_the_sites_closing_age_is_closed(client, settings, commented):
    settings.MODERATION_CLOSE_AFTER_DAYS = 7
    old, young = _published_days_ago(8), _published_days_ago(6)
    if commented:
        for article in (old, young):
            make_comment(thread_ensure(page=article), "A comment.")

    assert (_open(client, old), _open(client, young)) == (False, True)


def test_closing_by_age_costs_queries_only_where_a_site_uses_it(
    client, settings, django_assert_num_queries
):
    article = _published_days_ago(8)
    make_comment(thread_ensure(page=article), "A comment.")
    url = f"/api/v1/threads/comments?article={article.pk}"
    client.get(url)  # the moderation rules' snapshot, cached

    with django_assert_num_queries(1):  # nothing closes by age: the page is never read
        assert client.get(url).json()["comments_open"] is True

    settings.MODERATION_CLOSE_AFTER_DAYS = 7
    # the page's path and publication, then the closing age of its section or itself
    with django_assert_num_queries(3):
        assert client.get(url).json()["comments_open"] is False


def test_a_cached_answer_says_closed_as_soon_as_an_editor_closes_the_thread(
    django_capture_on_commit_callbacks,
):
    article = make_article()
    thread = thread_ensure(page=article)
    make_comment(thread, "Before it closed.")
    url = f"/api/v1/threads/comments?article={article.pk}"
    asgi("GET", url)
    cached = asgi("GET", url)
    assert (cached.header("x-cache"), json.loads(cached.body)["comments_open"]) == ("hit", True)

    with django_capture_on_commit_callbacks(execute=True):  # the cache is staled after commit
        thread_set_closed(thread=thread, closed=True)

    assert json.loads(asgi("GET", url).body)["comments_open"] is False
