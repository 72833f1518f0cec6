"""POST /api/v1/comments/preview: a comment's text rendered as posting it would store it, for
apps that draw their own comment box; nothing is saved, and bad requests are refused in JSON."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from discussion.models import Comment
from moderation.models import Rule

pytestmark = pytest.mark.django_db

URL = "/api/v1/comments/preview"


@pytest.fixture
def browser() -> Client:
    """A client that, like a browser, must show the CSRF token it was given."""
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "a" * 32
    return client


def _preview(client: Client, payload, *, token: bool = True):
    body = payload if isinstance(payload, (str, bytes)) else json.dumps(payload)
    extra = {"HTTP_X_CSRFTOKEN": "a" * 32} if token else {}
    return client.post(URL, body, content_type="application/json", **extra)


def test_a_preview_answers_the_html_posting_would_store_and_saves_nothing(browser):
    response = _preview(browser, {"body": "A **bold** claim <script>x</script>."})

    assert response.status_code == 200
    assert response.json() == {
        "html": "<p>A <strong>bold</strong> claim &lt;script&gt;x&lt;/script&gt;.</p>"
    }
    assert not Comment.objects.exists()


def test_an_empty_text_is_refused_with_the_posts_own_words(browser):
    response = _preview(browser, {"body": "  "})

    assert response.status_code == 400
    assert "the box is empty" in response.json()["errors"]["body"][0]


def test_a_preview_is_not_screened(browser):
    Rule.objects.create(kind=Rule.Kind.BANNED, pattern="zorkbat")

    response = _preview(browser, {"body": "What a zorkbat."})

    assert response.status_code == 200
    assert response.json()["html"] == "<p>What a zorkbat.</p>"


def test_without_the_csrf_token_it_is_refused(browser):
    response = _preview(browser, {"body": "Hello"}, token=False)

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


@pytest.mark.parametrize(
    "payload", ['{"body": 5}', '{"text": "Hello"}', "not json", '["Hello"]'], ids=str
)
def test_a_body_that_is_not_a_text_is_refused_in_json(browser, payload):
    response = _preview(browser, payload)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "article" not in response.json()["detail"]  # it says what this endpoint takes


def test_previews_over_their_limit_get_a_429_with_retry_after(browser, settings):
    settings.COMMENT_PREVIEW_RATE = "1/m"
    assert _preview(browser, {"body": "One"}).status_code == 200

    refused = _preview(browser, {"body": "Two"})

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert refused.json()["codes"] == ["previewing_too_fast"]
