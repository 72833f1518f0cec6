"""Recommending a comment in real Chromium: the count changes in place, without a reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_with_javascript_recommend_counts_in_place_and_a_second_press_undoes_it(
    page: Page, live_site
):
    page.goto(live_site.reference_url)
    page.evaluate("window.__marker = 'same document'")
    comment = page.locator("#comment-list > li.comment").first
    button = comment.locator(".reaction__button").first
    expect(button).to_have_attribute("aria-pressed", "false")
    before = int(button.locator(".reaction__count").inner_text())

    button.click()

    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button.locator(".reaction__count")).to_have_text(str(before + 1))
    expect(page.locator("#discussion-status")).to_contain_text("Recommend")

    button.click()

    expect(button).to_have_attribute("aria-pressed", "false")
    expect(button.locator(".reaction__count")).to_have_text(str(before))
    assert page.evaluate("window.__marker") == "same document"
    assert page.errors == []
