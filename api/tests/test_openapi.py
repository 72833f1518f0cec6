"""The API describes itself, and shares /api/v1/ with newsroom's ninjs view."""

from __future__ import annotations

import pytest

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
