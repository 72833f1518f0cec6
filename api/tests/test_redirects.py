"""Wagtail's redirects (an editor's "old address to new") apply to page addresses, and the read
API's 404s never pay for the lookup: it was four queries on every one."""

from __future__ import annotations

import pytest
from wagtail.contrib.redirects.models import Redirect

from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_an_editors_redirect_still_sends_readers_from_an_old_page_address(client):
    article = make_article()
    Redirect.objects.create(old_path="/old-story", redirect_link=article.url)

    response = client.get("/old-story/")

    assert response.status_code == 301
    assert response["Location"] == article.url


def test_an_article_the_api_cannot_find_costs_only_its_own_query(client, django_assert_num_queries):
    make_article()
    with django_assert_num_queries(1):  # the live, public article with its thread
        response = client.get("/api/v1/threads/comments?article=999999")
    assert response.status_code == 404
    assert response.json()["detail"]
