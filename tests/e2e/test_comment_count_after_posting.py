"""The heading's comment count, in real Chromium, after the reader posts: the comment goes in
place without a page load, and the count above it says what the next page load will."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import moderator_tab

pytestmark = pytest.mark.browser


def _count(page) -> int:
    text = page.locator("#comments-heading .discussion__count").inner_text()
    return int(text.strip("()").replace(",", ""))


def test_a_published_comment_counts_in_the_heading_at_once(browser, live_site):
    # The newsroom's staff are not held as new commenters: their comment is published.
    page = moderator_tab(browser, live_site)
    page.goto(live_site.reference_url + "#comments")
    before = _count(page)

    page.fill("#comment-form-body", f"A published comment, counted {time.time_ns()}")
    page.get_by_role("button", name="Post comment").click()

    expect(page.locator("#discussion-status")).to_have_text("Your comment was posted.")
    expect(page.locator("#comments-heading .discussion__count")).to_have_text(f"({before + 1})")
    page.reload()
    assert _count(page) == before + 1
