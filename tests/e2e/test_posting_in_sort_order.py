"""A reader's own new comment, in real Chromium, shows where the order they are reading puts it:
first when they chose "Newest first", last when they read oldest first."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def _post(page: Page, text: str) -> None:
    page.fill("#comment-form-body", text)
    page.fill("#comment-form-name", "Order Reader")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator("#discussion-status")).to_contain_text("Your comment was")


def test_a_comment_posted_while_reading_newest_first_shows_at_the_top(page: Page, live_site):
    page.goto(live_site.reference_url + "?sort=newest#comments")
    text = f"Posted while reading newest first {time.time_ns()}"

    _post(page, text)

    first = page.locator("#comment-list > li.comment").first
    expect(first).to_contain_text(text)
    expect(first).to_be_focused()
    assert page.errors == []


def test_a_comment_posted_while_reading_oldest_first_shows_at_the_end(page: Page, live_site):
    page.goto(live_site.reference_url + "#comments")
    text = f"Posted while reading oldest first {time.time_ns()}"

    _post(page, text)

    last = page.locator("#comment-list > li.comment").last
    expect(last).to_contain_text(text)
    expect(last).to_be_focused()
