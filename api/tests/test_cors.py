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
    make_comment(thread_ensure(page=article), "A comment shown on a partner page.")
    return article


def test_a_partner_sites_script_may_read_a_thread_from_the_cache_and_afresh(article):
    url = f"/api/v1/threads/comments?article={article.pk}"
    answers = [asgi("GET", url, extra_headers=[(b"origin", b"https://partner.example")])]
    answers.append(asgi("GET", url, extra_headers=[(b"origin", b"https://partner.example")]))

    assert [answer.header("x-cache") for answer in answers] == ["miss", "hit"]
    for answer in answers:
        assert answer.header("access-control-allow-origin") == "*"
        assert answer.header("access-control-allow-credentials") is None
        assert "A comment shown on a partner page." in answer.body


def test_counts_and_errors_may_be_read_too(client, article):
    counts = client.get(f"/api/v1/articles/comment-counts?ids={article.pk}")
    refused = client.get("/api/v1/threads/comments?article=0")
    assert (counts.status_code, refused.status_code) == (200, 400)
    assert counts["Access-Control-Allow-Origin"] == refused["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("method", ["get", "head"])
def test_the_redirect_of_the_apis_address_without_its_slash_may_be_read_too(client, method):
    # The 301 from /api/v1 to /api/v1/ had none of the API's CORS headers, so a partner's
    # script that left off the slash was refused by its browser before it could follow it.
    response = getattr(client, method)("/api/v1", HTTP_ORIGIN="https://partner.example")
    read = client.get("/api/v1/", HTTP_ORIGIN="https://partner.example")

    assert response.status_code == 301
    assert _cors_of(response) == _cors_of(read)
    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_preflight_to_the_apis_address_without_its_slash_is_allowed_as_with_it(client):
    asked = {
        "HTTP_ORIGIN": "https://partner.example",
        "HTTP_ACCESS_CONTROL_REQUEST_METHOD": "GET",
        "HTTP_ACCESS_CONTROL_REQUEST_HEADERS": "if-none-match",
    }

    response = client.options("/api/v1", **asked)

    assert response.status_code == 204
    assert _cors_of(response) == _cors_of(client.options("/api/v1/", **asked))


def test_the_404_of_an_address_without_the_apis_version_may_be_read_too(client):
    response = client.get("/api/threads/comments", HTTP_ORIGIN="https://partner.example")

    assert response.status_code == 404
    assert response["Access-Control-Allow-Origin"] == "*"


def _cors_of(response) -> dict[str, str]:
    return {
        name.lower(): value
        for name, value in response.items()
        if name.lower().startswith("access-control-")
    }


def test_the_rest_of_the_site_is_not_opened_to_other_sites(client, article):
    assert "Access-Control-Allow-Origin" not in client.get(article.url)


def test_a_head_request_gets_a_reads_headers_without_its_body(article):
    url = f"/api/v1/threads/comments?article={article.pk}"

    head = asgi("HEAD", url)  # first: not answered from a copy the page cache keeps

    got = asgi("GET", url)

    assert head.status == 200
    assert head.body == ""
    assert head.header("content-type") == got.header("content-type")
    assert head.header("content-length") == got.header("content-length")
    assert head.header("access-control-allow-origin") == "*"


def test_a_partner_sites_script_may_read_the_etag(client, article):
    response = client.get(f"/api/v1/threads/comments?article={article.pk}")

    assert "ETag" in response["Access-Control-Expose-Headers"]


def test_a_not_modified_from_the_cache_carries_the_cors_headers_of_the_read(article):
    # A partner's script revalidating with the ETag it read is answered 304 by the page cache;
    # without the 200's CORS headers its browser keeps the ETag from the script.
    url = f"/api/v1/threads/comments?article={article.pk}"
    origin = [(b"origin", b"https://partner.example")]
    read = asgi("GET", url, extra_headers=origin)
    asked = [*origin, (b"if-none-match", read.header("etag").encode())]

    unchanged = asgi("GET", url, extra_headers=asked)

    assert unchanged.status == 304
    assert _cors(unchanged) == _cors(read)
    assert "ETag" in unchanged.header("access-control-expose-headers")


def _cors(answer) -> dict[str, str]:
    return {name: value for name, value in answer.headers if name.startswith("access-control-")}


def test_a_preflight_for_a_conditional_read_is_allowed(client, article):
    response = client.options(
        f"/api/v1/threads/comments?article={article.pk}",
        HTTP_ORIGIN="https://partner.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )

    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert "if-none-match" in response["Access-Control-Allow-Headers"].lower()
    assert "Access-Control-Allow-Credentials" not in response


def test_a_preflight_for_a_post_from_another_site_is_not_allowed(client):
    response = client.options(
        "/api/v1/comments",
        HTTP_ORIGIN="https://partner.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type, x-csrftoken",
    )

    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Methods" not in response
