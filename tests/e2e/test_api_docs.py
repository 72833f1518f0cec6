"""The API's docs page in real Chromium: Swagger UI, served by the site itself, lists the API's
operations and can try them against the live site, the comment POST included."""

from __future__ import annotations

import json
import time
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_the_api_docs_page_lists_the_operations_and_asks_no_other_host(page: Page, live_site):
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))

    page.goto("/api/v1/docs")

    expect(page.get_by_text("/api/v1/threads/comments", exact=True)).to_be_visible()
    expect(page.get_by_text("/api/v1/articles/comment-counts", exact=True)).to_be_visible()
    assert hosts == {urlsplit(live_site.base_url).netloc}
    assert page.errors == []


def test_trying_the_comment_counts_operation_answers_from_the_live_site(page: Page, live_site):
    page.goto("/api/v1/docs")
    operation = page.locator(".opblock", has_text="/api/v1/articles/comment-counts")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.locator("input[placeholder='ids']").fill("1")

    operation.get_by_role("button", name="Execute").click()

    expect(
        operation.locator(".live-responses-table td.response-col_status:not(.col_header)")
    ).to_have_text("200")


def test_trying_the_comment_post_from_the_docs_page_sends_the_csrf_token(page: Page, live_site):
    """Swagger UI's "Try it out" posts a comment: the page hands Swagger its CSRF token, which
    the POST needs (without it every try was refused with a 403)."""
    path = urlsplit(live_site.reference_url).path
    page.goto(f"/api/v1/threads/comments?url={path}&limit=1")
    article_id = json.loads(page.locator("body").inner_text())["article_id"]
    page.goto("/api/v1/docs")
    # By its operation's id: "/api/v1/comments" is also the start of the preview's address.
    operation = page.locator("#operations-default-api_views_comment_post")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.locator("textarea.body-param__text").fill(
        json.dumps(
            {
                "article": article_id,
                "body": "Tried from the API's docs page.",
                "author_name": "Docs Reader",
                "idempotency_key": f"docs-{time.time_ns()}",
            }
        )
    )

    operation.get_by_role("button", name="Execute").click()

    expect(
        operation.locator(".live-responses-table td.response-col_status:not(.col_header)")
    ).to_have_text("201")
