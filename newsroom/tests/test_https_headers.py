"""Strict-Transport-Security (SECURE_HSTS_SECONDS) goes on the answers to HTTPS requests."""

from __future__ import annotations

import pytest
from django.core.wsgi import get_wsgi_application

from core.django_threads import DjangoOnThreads
from core.pagecache import AnonymousPageCache
from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from newsroom.tests.factories import make_article
from newsroom.tests.test_page_cache import call, run

pytestmark = pytest.mark.django_db

A_YEAR = 31536000


@pytest.fixture
def article():
    article = make_article()
    make_comment(thread_ensure(page=article), "The first comment on this story.")
    return article


def test_with_hsts_seconds_set_an_https_answer_carries_the_header(client, article, settings):
    settings.SECURE_HSTS_SECONDS = A_YEAR
    response = client.get(article.url, secure=True)
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"] == f"max-age={A_YEAR}"


def test_subdomains_and_preload_are_added_only_when_asked(client, article, settings):
    settings.SECURE_HSTS_SECONDS = A_YEAR
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = client.get(article.url, secure=True)
    assert response.headers["Strict-Transport-Security"] == (
        f"max-age={A_YEAR}; includeSubDomains; preload"
    )


def test_no_header_over_plain_http(client, article, settings):
    settings.SECURE_HSTS_SECONDS = A_YEAR
    assert "Strict-Transport-Security" not in client.get(article.url).headers


def test_no_header_by_default(client, article):
    assert "Strict-Transport-Security" not in client.get(article.url, secure=True).headers


def test_behind_a_tls_proxy_the_cached_page_keeps_the_header(article, settings):
    # As the documented deploy runs: the proxy says https in X-Forwarded-Proto, and every
    # anonymous reader after the first is answered by the page cache, before Django.
    settings.SECURE_HSTS_SECONDS = A_YEAR
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Built afresh, as an app process does at start: Django's middleware reads these settings
    # once, when it is made (broadsheet.asgi's was made at import).
    app = AnonymousPageCache(DjangoOnThreads(get_wsgi_application()))
    proto = [(b"x-forwarded-proto", b"https")]
    url = article.url

    async def visit():
        return await call(app, "GET", url, extra_headers=proto)

    first, second = run(visit), run(visit)
    assert (first.header("x-cache"), second.header("x-cache")) == ("miss", "hit")
    assert second.header("strict-transport-security") == f"max-age={A_YEAR}"
