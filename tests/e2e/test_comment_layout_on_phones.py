"""Comments on a phone-sized screen in real Chromium: a linked comment is not drawn against the top
edge, and a reply two levels deep keeps its whole action row on one line."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DEEP_REPLY = "li.comment--depth-2:has(.comment__report)"


@pytest.fixture
def phone(browser, live_site):
    context = browser.new_context(viewport=PHONE, base_url=live_site.base_url)
    yield context.new_page()
    context.close()


def test_a_reply_two_levels_deep_keeps_report_on_the_line_of_reply(phone, live_site):
    phone.goto(live_site.reference_url)
    reply = phone.locator(DEEP_REPLY).first
    expect(reply).to_be_visible()
    row = reply.locator(".comment__actions").first  # its own; its replies' come after
    tops = [
        row.locator(selector).first.bounding_box()["y"]
        for selector in (".comment__reply", ".comment__report")
    ]

    assert abs(tops[0] - tops[1]) < 8, tops


def test_a_linked_comment_stands_clear_of_the_top_of_the_viewport(phone, live_site):
    phone.goto(live_site.reference_url)
    target_id = phone.locator(DEEP_REPLY).first.get_attribute("id").removeprefix("c-")

    phone.goto(f"/c/{target_id}/")
    comment = phone.locator(f"#c-{target_id}")
    expect(comment).to_be_focused()
    phone.wait_for_timeout(300)  # let the jump to the fragment settle

    assert comment.bounding_box()["y"] >= 16, comment.bounding_box()


def test_a_long_unbroken_address_in_a_comment_wraps_inside_the_column(phone, live_site):
    """A pasted address with no spaces wraps within the comment, so the page never scrolls
    sideways (it made the page about 3,500 px wide before)."""
    phone.goto(live_site.reference_url)
    address = "https://example.com/" + "segment/" * 60 + f"end-{time.time_ns()}"
    phone.fill("#comment-form-body", f"Source: {address}")
    phone.fill("#comment-form-name", f"Wide Poster {time.time_ns() % 10_000}")
    phone.get_by_role("button", name="Post comment").click()
    expect(phone.locator(".comment__body", has_text=address)).to_be_visible()

    width = phone.evaluate("document.documentElement.scrollWidth")

    assert width <= PHONE["width"], width
