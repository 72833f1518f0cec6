"""The comment form's Preview in real Chromium: the comment drawn under the text, focus and the
status region telling the reader so, then posted as it stands, once; and the same without
JavaScript, where the article comes back with the preview."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_a_guest_previews_then_posts_the_comment_once(page: Page, live_site):
    page.goto(urlsplit(live_site.reference_url).path)
    words = f"Preview run {uuid.uuid4().hex[:8]}"
    form = page.locator("#comment-form")
    form.get_by_label("Enter comments here:").fill(f"**{words}**, as I see it.")
    form.get_by_label("Your display name").fill("Preview Tester")

    form.get_by_role("button", name="Preview your comment").click()

    preview = page.locator("#comment-form-preview")
    expect(preview.locator("strong")).to_have_text(words)
    expect(preview).to_be_focused()
    expect(page.locator("#discussion-status")).to_contain_text("not posted yet")
    expect(form.get_by_label("Enter comments here:")).to_have_value(f"**{words}**, as I see it.")
    expect(page.locator("#comment-list").get_by_text(words)).to_have_count(0)

    page.locator("#comment-form").get_by_role("button", name="Post comment").click()

    expect(page.locator("#discussion-status")).to_contain_text("Your comment was")
    expect(page.locator("#comment-list strong", has_text=words)).to_have_count(1)


def test_without_javascript_the_article_comes_back_with_the_preview(browser, live_site):
    context = browser.new_context(base_url=live_site.base_url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(urlsplit(live_site.reference_url).path)
        form = page.locator("#comment-form")
        form.get_by_label("Enter comments here:").fill("A *plain* preview.")
        form.get_by_label("Your display name").fill("No Script")

        form.get_by_role("button", name="Preview your comment").click()

        expect(page.locator("#comment-form-preview em")).to_have_text("plain")
        expect(page.locator("#comment-form").get_by_label("Enter comments here:")).to_have_value(
            "A *plain* preview."
        )
    finally:
        context.close()
