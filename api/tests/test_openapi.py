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


def test_the_ninjs_view_still_answers_beside_the_api(client):
    article = make_article()

    response = client.get(f"/api/v1/ninjs/articles/{article.pk}.json")

    assert response.status_code == 200


def test_the_api_takes_no_writes(client):
    assert client.post("/api/v1/articles/comment-counts?ids=1").status_code == 405
