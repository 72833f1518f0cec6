"""The read API's requests take a middleware chain of their own (api.middleware.ReadApiChain):
the site's, less what the API never uses. What it keeps must still reach every answer (the CSRF
check and the JSON refusals are tested in test_json_refusals.py, through the same chain)."""

from __future__ import annotations

import pytest

from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from newsroom.tests.factories import make_article
from newsroom.tests.test_page_cache import asgi

pytestmark = pytest.mark.django_db

SECURITY_HEADERS = (
    "x-content-type-options",
    "referrer-policy",
    "cross-origin-opener-policy",
    "x-frame-options",
)


@pytest.fixture
def article():
    article = make_article()
    make_comment(thread_ensure(page=article), "A comment to read through the API.")
    return article


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/threads/comments?article={id}",
        "/api/v1/articles/comment-counts?ids={id}",
        "/api/v1/threads/comments?article=0",  # a 400
        "/api/v1/no-such-endpoint",  # a 404
        "/api/v1/openapi.json",
    ],
)
def test_api_answers_carry_the_same_security_headers_as_the_sites_pages(settings, article, path):
    settings.PAGE_CACHE_SECONDS = 0  # drawn by Django each time, not replayed by the cache
    page = asgi("GET", article.url)
    answer = asgi("GET", path.format(id=article.pk))

    assert page.status == 200
    for name in SECURITY_HEADERS:
        assert page.header(name), name
        assert answer.header(name) == page.header(name), name
