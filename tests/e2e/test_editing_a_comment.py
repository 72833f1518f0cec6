"""Editing one's comment, in real Chromium: a refused text comes back in its box, marked and
explained as the comment form's is; a saved one says so on the article it returns to."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def _open_the_edit_page_of_a_new_comment(page: Page, live_site) -> str:
    marker = uuid.uuid4().hex[:8]
    page.goto(live_site.reference_url)
    form = page.locator("#comment-form")
    form.get_by_label("Enter comments here:").fill(f"A first draft {marker}")
    form.get_by_label("Your display name").fill("Wren")
    form.get_by_role("button", name="Post comment").click()
    page.locator("li.comment", has_text=marker).get_by_role(
        "link", name="Edit your comment"
    ).click()
    expect(page).to_have_url(re.compile(r"/discussion/comments/\d+/edit/$"))
    return marker


def test_a_refused_edit_puts_focus_in_the_box_marked_invalid_and_tied_to_why(page: Page, live_site):
    _open_the_edit_page_of_a_new_comment(page, live_site)
    too_long = "Every word of this matters." * 200  # 5,400 characters; the limit is 5,000

    page.get_by_label("Your comment").fill(too_long)
    page.get_by_role("button", name="Save changes").click()

    box = page.get_by_label("Your comment")
    expect(box).to_be_focused()
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(box).to_have_accessible_description(re.compile(r"^Your comment is 5,400 characters"))
    expect(box).to_have_value(too_long)


def test_a_saved_edit_lands_on_the_comment_saying_it_was_saved(page: Page, live_site):
    marker = _open_the_edit_page_of_a_new_comment(page, live_site)
    # The page is there to change the text: it opens with the caret in the box.
    expect(page.get_by_label("Your comment")).to_be_focused()

    page.get_by_label("Your comment").fill(f"A better draft {marker}")
    page.get_by_role("button", name="Save changes").click()

    # A new guest's comments wait for review (the demo holds newcomers' first ones), and so does
    # the edited text: the status says both.
    expect(
        page.get_by_role("status").filter(
            has_text="Your comment was saved and is waiting for review."
        )
    ).to_be_visible()
    mine = page.locator("li.comment--focus")
    expect(mine).to_contain_text(f"A better draft {marker}")
    expect(mine.locator(".comment__edited")).to_have_text(re.compile(r"^edited \d\d:\d\d$"))
    assert page.errors == []
