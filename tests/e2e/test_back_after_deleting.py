"""Back after deleting one's comment, in real Chromium: the page says it was deleted.

The article's Delete link opens the comment's delete page, whose form posts and is sent on to
the article; Back then returns to the delete page, of a comment that no longer exists.
"""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_back_after_deleting_a_comment_says_it_was_deleted_and_leads_to_the_article(
    page: Page, live_site
):
    marker = uuid.uuid4().hex[:8]
    page.goto(live_site.reference_url)
    form = page.locator("#comment-form")
    form.get_by_label("Enter comments here:").fill(f"On second thoughts {marker}")
    form.get_by_label("Your display name").fill("Wren")
    form.get_by_role("button", name="Post comment").click()
    mine = page.locator("li.comment", has_text=marker)
    mine.get_by_role("link", name="Delete your comment").click()
    expect(page).to_have_url(re.compile(r"/discussion/comments/\d+/delete/$"))
    delete_page = page.url
    page.get_by_role("button", name="Delete comment").click()
    expect(page.locator(".messages")).to_contain_text("Your comment was deleted.")

    page.go_back()

    expect(page).to_have_url(delete_page)
    expect(page.get_by_role("heading", name="Comment deleted")).to_be_visible()
    expect(page.locator("main")).to_contain_text("This comment was deleted.")
    page.get_by_role("link", name="Back to the article").click()
    expect(page).to_have_url(f"{live_site.reference_url}#comments")
