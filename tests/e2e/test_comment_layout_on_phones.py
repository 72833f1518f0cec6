"""Comments on a phone-sized screen in real Chromium: a linked comment is not drawn against the top
edge, a reply two levels deep keeps its whole action row on one line, and neither a long address
nor a long one-word display name makes the page scroll sideways, even at 320 px."""

from __future__ import annotations

import time
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import moderator_tab

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
NARROWEST = {"width": 320, "height": 700}  # WCAG 1.4.10: 1280 px at 400% zoom
DEEP_REPLY = "li.comment--depth-2:has(.comment__report)"
TOP_LEVEL = "#comment-list > li.comment"


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


def _narrowest_tab(browser, live_site) -> Page:
    context = browser.new_context(viewport=NARROWEST, base_url=live_site.base_url)
    context.set_default_timeout(10_000)
    return context.new_page()


def _page_width(tab: Page) -> int:
    return tab.evaluate("document.documentElement.scrollWidth")


def _reply(tab: Page, to_id: str, *, body: str, name: str) -> None:
    tab.locator(f"#c-{to_id} > article .comment__reply").click()
    form = tab.locator(f"#reply-slot-{to_id} form")
    form.get_by_label("Enter comments here:").fill(body)
    form.get_by_label("Your display name").fill(name)
    form.get_by_role("button", name="Post reply").click()


def test_a_long_one_word_display_name_wraps_at_320_px_wherever_it_shows(browser, live_site):
    """A guest may pick a 50-character name with no space in it. It wraps on their own comment,
    on the comment as every reader sees it, in "Reply to <name>" over an open reply form and in
    "in reply to <name>" on a reply to it: the page is never wider than the screen (before, it
    was 361 px, and 427 px with the reply form open)."""
    marker = uuid.uuid4().hex[:8]
    name = f"Oleksandr_Kovalenko-Shevchenko_of_Kharkiv_{marker}"
    assert len(name) == 50 and " " not in name

    # The guest replies to a comment, so a reply to theirs says "in reply to <name>".
    author = _narrowest_tab(browser, live_site)
    author.goto(live_site.reference_url)
    parent_id = author.locator(TOP_LEVEL).first.get_attribute("id").removeprefix("c-")
    _reply(author, parent_id, body=f"A thought from Kharkiv {marker}", name=name)
    mine = author.locator(f"#replies-{parent_id} > li.comment", has_text=marker)
    expect(mine.locator(".comment__author")).to_have_text(name)
    assert _page_width(author) <= NARROWEST["width"], "the author's own (held) comment"
    mine_id = mine.get_attribute("id").removeprefix("c-")

    moderator = moderator_tab(browser, live_site)
    moderator.goto(f"/admin/moderation/queue/pending/?q={marker}")
    expect(moderator.locator("[data-mod-card]")).to_have_count(1)
    moderator.keyboard.press("j")
    moderator.keyboard.press("a")
    expect(moderator.locator(".messages")).to_contain_text("Approved the comment")

    reader = _narrowest_tab(browser, live_site)
    reader.goto(f"/c/{mine_id}/")
    expect(reader.locator(f"#c-{mine_id} .comment__author")).to_have_text(name)
    assert _page_width(reader) <= NARROWEST["width"], "the published comment"

    reader.locator(f"#c-{mine_id} > article .comment__reply").click()
    heading = reader.locator(f"#reply-slot-{mine_id} form .comment-form__heading")
    expect(heading).to_have_text(f"Reply to {name}")
    assert _page_width(reader) <= NARROWEST["width"], "the reply form's heading"

    form = reader.locator(f"#reply-slot-{mine_id} form")
    form.get_by_label("Enter comments here:").fill(f"An answer {marker}")
    form.get_by_label("Your display name").fill("Iryna")
    form.get_by_role("button", name="Post reply").click()
    answer = reader.locator("li.comment--pending", has_text=f"An answer {marker}")  # held, new
    expect(answer.locator(".comment__in-reply")).to_have_text(f"in reply to {name}")
    assert _page_width(reader) <= NARROWEST["width"], "in reply to <name>"
