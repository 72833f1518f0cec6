"""The API describes itself, and shares /api/v1/ with newsroom's ninjs view."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_the_openapi_document_lists_both_endpoints(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/threads/comments", "/api/v1/articles/comment-counts"} <= set(paths)


@pytest.mark.parametrize(
    ("path", "name"),
    [("/api/v1/threads/comments", "cursor"), ("/api/v1/articles/comment-counts", "ids")],
)
def test_the_openapi_document_does_not_offer_an_empty_value_the_api_refuses(client, path, name):
    # schemathesis, reading the document, sent cursor= and ids= as valid values and got a 400.
    parameters = client.get("/api/v1/openapi.json").json()["paths"][path]["get"]["parameters"]
    schema = next(p["schema"] for p in parameters if p["name"] == name)
    string = next(s for s in schema.get("anyOf", [schema]) if s.get("type") == "string")

    assert string.get("minLength") == 1
    assert client.get(path, {name: ""}).status_code == 400


MAX_ID = str(2**63 - 1)
IDS_TAKEN = ["1", "6,10,999", "1,1", "1,2,", ",1", "1,,2", MAX_ID, ",".join(["7"] * 50)]
IDS_REFUSED = [
    *["", ",", ",,", "0", "00", "06", "1,06", "+6", "-6", " 6", "1, 2", "6.0", "6e0", "6_0"],
    *["\u0666", "\uff16", "abc", "1;2", str(2**63), "9" * 20, ",".join(["7"] * 51)],
]


@pytest.mark.parametrize("ids", IDS_TAKEN + IDS_REFUSED)
def test_the_openapi_documents_ids_take_what_the_api_takes(client, ids):
    # A generated client checks ids against the document before it sends them: with only
    # "a string" there, ids=00 looked valid, and the API refused it with a 400. (Not a value
    # ending in a newline: Python's "$" matches before one, where JSON Schema's, ECMA-262's,
    # does not.)
    path = "/api/v1/articles/comment-counts"
    parameters = client.get("/api/v1/openapi.json").json()["paths"][path]["get"]["parameters"]
    schema = next(p["schema"] for p in parameters if p["name"] == "ids")

    documented = Draft202012Validator(schema).is_valid(ids)

    taken = client.get(path, {"ids": ids}).status_code == 200
    assert documented == taken == (ids in IDS_TAKEN)


def test_the_ninjs_view_still_answers_beside_the_api(client):
    article = make_article()

    response = client.get(f"/api/v1/ninjs/articles/{article.pk}.json")

    assert response.status_code == 200


def test_a_ninjs_document_that_is_not_there_does_not_send_a_client_to_openapi(client):
    # ninjs is not in the OpenAPI document; its address is right, the id is not.
    response = client.get("/api/v1/ninjs/articles/99999.json")

    assert response.status_code == 404
    assert "openapi" not in response.json()["detail"]


def test_the_api_takes_no_writes(client):
    assert client.post("/api/v1/articles/comment-counts?ids=1").status_code == 405


def test_the_docs_page_loads_swagger_ui_from_this_site_only(client):
    from bs4 import BeautifulSoup

    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assets = [tag["src"] for tag in page.find_all("script", src=True)]
    assets += [tag["href"] for tag in page.find_all("link", href=True)]
    assert any("swagger-ui-bundle" in asset for asset in assets)
    assert all(asset.startswith("/static/") for asset in assets), assets


def test_the_docs_page_reads_the_openapi_document_of_this_api(client):
    import json

    from bs4 import BeautifulSoup

    page = BeautifulSoup(client.get("/api/v1/docs").content, "html.parser")

    settings = json.loads(page.find("script", id="swagger-settings").string)
    assert settings["url"] == "/api/v1/openapi.json"


def _cursor_schema(client) -> dict:
    path = "/api/v1/threads/comments"
    parameters = client.get("/api/v1/openapi.json").json()["paths"][path]["get"]["parameters"]
    schema = next(p["schema"] for p in parameters if p["name"] == "cursor")
    return next(s for s in schema.get("anyOf", [schema]) if s.get("type") == "string")


@pytest.fixture
def thread_of_three():
    from discussion.services import thread_ensure
    from discussion.tests.factories import make_comment

    article = make_article()
    thread = thread_ensure(page=article)
    for n in range(3):
        make_comment(thread, f"Comment {n}.")
    return article


@pytest.mark.parametrize("cursor", ["0", "1", "-1", "abc", "garbage", "A" * 500, "b2xkZXN0"])
def test_the_openapi_document_does_not_offer_a_cursor_the_api_refuses(
    client, thread_of_three, cursor
):
    # With only "a string of at least one character" there, schemathesis sent cursor=0 as a
    # valid value, and the API refused it with a 400.
    documented = Draft202012Validator(_cursor_schema(client)).is_valid(cursor)

    response = client.get(
        "/api/v1/threads/comments", {"article": thread_of_three.pk, "cursor": cursor}
    )

    assert not documented
    assert response.status_code == 400
    assert "next_cursor" in response.json()["detail"]


@pytest.mark.parametrize("sort", ["oldest", "newest", "reactions", "replies"])
def test_every_cursor_the_api_hands_out_is_one_the_openapi_document_takes(
    client, thread_of_three, sort
):
    validator = Draft202012Validator(_cursor_schema(client))
    query = {"article": thread_of_three.pk, "sort": sort, "limit": 1}

    handed_out = client.get("/api/v1/threads/comments", query).json()["next_cursor"]
    following = client.get("/api/v1/threads/comments", {**query, "cursor": handed_out})

    assert validator.is_valid(handed_out)
    assert following.status_code == 200


@pytest.mark.parametrize(
    "respell",
    [
        lambda cursor: cursor + "==",  # padding, which base64 decoding skips
        lambda cursor: cursor[:4] + "." + cursor[4:],  # a character outside the alphabet
        lambda cursor: cursor[:4] + "+" + cursor[4:],  # standard base64, not URL-safe
    ],
    ids=["padded", "stray-character", "not-url-safe"],
)
def test_another_spelling_of_a_cursor_handed_out_is_refused_as_the_document_refuses_it(
    client, thread_of_three, respell
):
    # Base64 decoding read these as the cursor handed out, so the API took a cursor the
    # document's pattern refuses, and each was one more address of the same page to cache.
    query = {"article": thread_of_three.pk, "limit": 1}
    handed_out = client.get("/api/v1/threads/comments", query).json()["next_cursor"]
    cursor = respell(handed_out)
    assert cursor != handed_out

    response = client.get("/api/v1/threads/comments", {**query, "cursor": cursor})

    assert not Draft202012Validator(_cursor_schema(client)).is_valid(cursor)
    assert response.status_code == 400
