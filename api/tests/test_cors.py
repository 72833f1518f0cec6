"""Other sites' pages may read the read API in their readers' browsers (api.middleware)."""

from __future__ import annotations

import pytest

from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from newsroom.tests.factories import make_article
from newsroom.tests.test_page_cache import asgi

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    article = make_article()
    make_comment(thread_ensure(page=article), "A comment a partner site shows.")
    return article


def test_a_partner_sites_script_may_read_a_thread_from_the_cache_and_afresh(article):
    url = f"/api/v1/threads/comments?article={article.pk}"
    answers = [asgi("GET", url, extra_headers=[(b"origin", b"https://partner.example")])]
    answers.append(asgi("GET", url, extra_headers=[(b"origin", b"https://partner.example")]))

    assert [answer.header("x-cache") for answer in answers] == ["miss", "hit"]
    for answer in answers:
        assert answer.header("access-control-allow-origin") == "*"
        assert answer.header("access-control-allow-credentials") is None
        assert "A comment a partner site shows." in answer.body


def test_counts_and_errors_may_be_read_too(client, article):
    counts = client.get(f"/api/v1/articles/comment-counts?ids={article.pk}")
    refused = client.get("/api/v1/threads/comments?article=0")
    assert (counts.status_code, refused.status_code) == (200, 400)
    assert counts["Access-Control-Allow-Origin"] == refused["Access-Control-Allow-Origin"] == "*"


def test_the_rest_of_the_site_is_not_opened_to_other_sites(client, article):
    assert "Access-Control-Allow-Origin" not in client.get(article.url)
