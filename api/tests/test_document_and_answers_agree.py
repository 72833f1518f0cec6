"""What the OpenAPI document says a request may be, and what the API takes, agree.

Each case here is one a schema fuzzer (schemathesis, run against the demo) sent as a request
the document allows and the API refused with a 400: a client generated from the document would
send it too, and be refused for doing what it was told.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from jsonschema import Draft202012Validator

from discussion.models import Comment
from newsroom.tests.factories import make_article
from newsroom.tests.test_page_cache import asgi
from tests.test_redis_down_in_place import redis_refusing, stop_redis  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

TOKEN = "a" * 32


@pytest.fixture
def browser() -> Client:
    """A client that, like a browser, must show the CSRF token it was given."""
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = TOKEN
    return client


def _post(client: Client, url: str, payload: str):
    return client.post(url, payload, content_type="application/json", HTTP_X_CSRFTOKEN=TOKEN)


def _request_schema(client: Client, path: str) -> dict:
    document = client.get("/api/v1/openapi.json").json()
    body = document["paths"][path]["post"]["requestBody"]["content"]["application/json"]
    name = body["schema"]["$ref"].rsplit("/", 1)[-1]
    return {**document["components"]["schemas"][name], "components": document["components"]}


def test_an_article_id_written_with_a_zero_fraction_is_taken_as_the_document_says(browser):
    # JSON Schema's "integer" is any number with no fraction: 6.0 is one (Python's json writes
    # a float that way); the API refused it ("article: Input should be a valid integer").
    article = make_article()
    payload = f'{{"article": {article.pk}.0, "body": "A point.", "author_name": "Olena"}}'
    assert Draft202012Validator(_request_schema(browser, "/api/v1/comments")).is_valid(
        json.loads(payload)
    )

    response = _post(browser, "/api/v1/comments", payload)

    assert response.status_code == 201
    assert Comment.objects.get().thread.page_id == article.pk


def test_a_parent_written_with_a_zero_fraction_is_taken_too(browser):
    article = make_article()
    first = _post(
        browser,
        "/api/v1/comments",
        json.dumps({"article": article.pk, "body": "First.", "author_name": "Olena"}),
    ).json()

    response = _post(
        browser,
        "/api/v1/comments",
        f'{{"article": {article.pk}, "parent": {first["id"]}.0, "body": "A reply.", '
        '"author_name": "Olena"}',
    )

    assert response.status_code == 201
    assert response.json()["parent_id"] == first["id"]


@pytest.mark.parametrize("article", ["6.5", "true", '"6"', "1e19"])
def test_an_id_that_is_no_whole_number_in_range_is_still_refused(browser, article):
    response = _post(
        browser, "/api/v1/comments", f'{{"article": {article}, "body": "x", "author_name": "O"}}'
    )

    assert response.status_code == 400
    assert "article" in response.json()["errors"]
    assert not Comment.objects.exists()


@pytest.mark.parametrize("path", ["/api/v1/comments", "/api/v1/comments/preview"])
def test_the_document_does_not_offer_an_empty_comment_the_api_refuses(browser, path):
    # The document said only "a string", so an empty body was a valid request the API refused.
    schema = _request_schema(browser, path)
    validator = Draft202012Validator(schema)

    for body in ("", "   ", "\n\t"):
        response = _post(browser, path, json.dumps({"article": 1, "body": body}))
        assert response.status_code in (400, 404)
        assert not validator.is_valid({"article": 1, "body": body, "author_name": "Olena"})
    assert validator.is_valid({"article": 1, "body": "x", "author_name": "Olena"})


def test_the_document_bounds_a_parent_as_json_schema_does(browser):
    # Bounds set on Field beside a validator reach the document as pydantic's own "ge" and "le",
    # which JSON Schema does not know: a client generated from it would send parent: 0.
    parent = _request_schema(browser, "/api/v1/comments")["properties"]["parent"]
    number = next(s for s in parent["anyOf"] if s.get("type") == "integer")

    assert (number["minimum"], number["maximum"]) == (1, 2**63 - 1)
    assert "ge" not in number and "le" not in number


# Characters the API refuses in a comment whatever else it says: a NUL (the database cannot hold
# it), U+FFFD (what undecodable bytes became) and the text-direction controls.
REFUSED_IN_A_BODY = ["Fair \x00 point", "Fair \ufffd point", "Fair \u202e point", "\u2066x"]


@pytest.mark.parametrize("body", REFUSED_IN_A_BODY)
@pytest.mark.parametrize("path", ["/api/v1/comments", "/api/v1/comments/preview"])
def test_the_document_does_not_offer_a_body_with_a_character_the_api_refuses(browser, path, body):
    validator = Draft202012Validator(_request_schema(browser, path))

    response = _post(browser, path, json.dumps({"article": 1, "body": body}))

    assert response.status_code in (400, 404)
    assert not validator.is_valid({"article": 1, "body": body, "author_name": "Olena"})


@pytest.mark.parametrize("body", ["\x01", " \x7f\x1b ", "\x85", "\u200b", "\ufeff\u2060"])
def test_a_comment_of_nothing_a_reader_can_see_is_refused_as_empty(browser, body):
    # Control characters are dropped when a comment is drawn and format characters draw as
    # nothing: posted, it was a published comment with no visible words.
    article = make_article()

    posted = _post(
        browser,
        "/api/v1/comments",
        json.dumps({"article": article.pk, "body": body, "author_name": "Olena"}),
    )
    previewed = _post(browser, "/api/v1/comments/preview", json.dumps({"body": body}))

    assert posted.status_code == 400
    assert "the box is empty" in posted.json()["errors"]["body"][0]
    assert previewed.status_code == 400
    assert not Comment.objects.exists()


@pytest.mark.parametrize("body", ["\x01", " \x7f\x1b ", "\x85"])
def test_the_document_does_not_offer_a_body_of_control_characters(browser, body):
    validator = Draft202012Validator(_request_schema(browser, "/api/v1/comments"))

    assert not validator.is_valid({"article": 1, "body": body, "author_name": "Olena"})


@pytest.mark.parametrize("body", ["x", "  A point.\n", "\x01a", "👍🏽", "a\u200db", "Zoë"])
def test_the_document_still_takes_a_body_the_api_takes(browser, body):
    article = make_article()
    validator = Draft202012Validator(_request_schema(browser, "/api/v1/comments"))

    response = _post(
        browser,
        "/api/v1/comments",
        json.dumps({"article": article.pk, "body": body, "author_name": "Olena"}),
    )

    assert response.status_code == 201
    assert validator.is_valid({"article": article.pk, "body": body, "author_name": "Olena"})


def test_the_document_does_not_offer_an_idempotency_key_with_a_nul(browser):
    validator = Draft202012Validator(_request_schema(browser, "/api/v1/comments"))

    assert not validator.is_valid({"article": 1, "body": "x", "idempotency_key": "k\x00"})
    assert validator.is_valid({"article": 1, "body": "x", "idempotency_key": "k-1"})


@pytest.mark.parametrize("address", ["not an address", "olena.example.org"])
def test_the_document_does_not_offer_an_address_the_api_refuses(browser, address):
    article = make_article()
    validator = Draft202012Validator(
        _request_schema(browser, "/api/v1/comments"),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    payload = {"article": article.pk, "body": "x", "author_name": "Olena", "author_email": address}

    response = _post(browser, "/api/v1/comments", json.dumps(payload))

    assert response.status_code == 400
    assert not validator.is_valid(payload)
    assert validator.is_valid({**payload, "author_email": ""})
    assert validator.is_valid({**payload, "author_email": "olena@example.org"})


def test_the_documents_unseen_characters_are_every_format_character_of_the_bmp():
    # The API refuses a body of nothing but format characters as empty (all of them, by their
    # Unicode category); the document's pattern names those of the Basic Multilingual Plane one
    # by one, as JSON Schema's regular expressions have no categories. A new Unicode version may
    # add some: this says which.
    import re
    import unicodedata

    from api.schemas import BODY_PATTERN

    shape = re.compile(BODY_PATTERN)
    unseen = ("Cc", "Cf", "Cs", "Zs", "Zl", "Zp")
    for code in range(0x10000):
        char, category = chr(code), unicodedata.category(chr(code))
        if category == "Cf":
            assert shape.search(char) is None, f"U+{code:04X} is missing from BODY_PATTERN"
        elif category not in unseen and char != "\ufffd":
            assert shape.search(char), f"U+{code:04X} is refused by BODY_PATTERN"


@pytest.mark.usefixtures("redis_refusing")
@pytest.mark.parametrize("path", ["/api/v1/comments", "/api/v1/comments/preview"])
def test_a_write_refused_while_redis_is_stopped_is_the_503_the_document_describes(browser, path):
    # The API answered 503 with Retry-After (docs/deploy.md, "When Redis stops"), which the
    # document did not list: a client generated from it had no word for that answer.
    article = make_article()

    response = _post(
        browser, path, json.dumps({"article": article.pk, "body": "x", "author_name": "Olena"})
    )

    assert response.status_code == 503 and int(response["Retry-After"]) > 0
    document = browser.get("/api/v1/openapi.json").json()
    described = document["paths"][path]["post"]["responses"]["503"]
    schema = described["content"]["application/json"]["schema"]
    name = schema["$ref"].rsplit("/", 1)[-1]
    assert Draft202012Validator(document["components"]["schemas"][name]).is_valid(response.json())
    assert not Comment.objects.exists()


@pytest.mark.parametrize("path", ["/api/v1/threads/comments", "/api/v1/articles/comment-counts"])
def test_the_documents_reads_say_they_answer_304_to_a_matching_etag(client, path):
    # Polling clients are told to send the ETag back (docs/api.md) and get 304, which the
    # document did not list.
    article = make_article()
    url = f"{path}?article={article.pk}" if "threads" in path else f"{path}?ids={article.pk}"
    first = asgi("GET", url)

    again = asgi("GET", url, extra_headers=[(b"if-none-match", first.header("etag").encode())])

    assert again.status == 304
    responses = client.get("/api/v1/openapi.json").json()["paths"][path]["get"]["responses"]
    assert "304" in responses and "content" not in responses["304"]
