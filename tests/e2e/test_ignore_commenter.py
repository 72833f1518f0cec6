"""Ignore this commenter in real Chromium: a member ignores another member from their comment,
sees it collapsed where it stood (focus on the collapsed line, the change announced), opens it
with the keyboard, and stops ignoring from their profile; the page breaks no WCAG AA rule axe
can check.

The reader who ignores signs up afresh, so nobody else's pages change; the member ignored is
the demo reader, whose comment on a public story the demo loads.
"""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import moderator_tab, new_tab
from tests.e2e.test_accessibility import _violations
from tests.e2e.test_account_page_buttons import _own_profile, _sign_in_as_the_demo_reader
from tests.e2e.test_display_name_change import _sign_up_and_in

pytestmark = pytest.mark.browser

THEIR_WORDS = "A 10 per cent jump in the rouble"  # newsroom.demo.content.MEMBER_COMMENT
COLLAPSED = "A comment from a reader you ignore — show it"


def _demo_readers_comment(browser, live_site) -> str:
    """The address of the demo reader's comment, as their profile links it."""
    demo = new_tab(browser, live_site)
    _sign_in_as_the_demo_reader(demo, live_site)
    _own_profile(demo)
    link = demo.locator(".reader-profile__comments li", has_text=THEIR_WORDS).locator("a").first
    address = link.get_attribute("href")
    demo.context.close()
    return address


def _demo_reader_answers_themselves(browser, live_site, comment_id: str, text: str) -> str:
    """The demo reader replies to their own comment (approved by a moderator if held), so the
    page shows two of their comments; the reply's id."""
    demo = new_tab(browser, live_site)
    _sign_in_as_the_demo_reader(demo, live_site)
    demo.goto(f"/c/{comment_id}/")
    demo.locator(f"#c-{comment_id} > article .comment__reply").click()
    form = demo.locator(f"#reply-slot-{comment_id} form")
    form.get_by_label("Enter comments here:").fill(text)
    form.get_by_role("button", name="Post reply").click()
    reply = demo.locator(f"#replies-{comment_id} > li.comment", has_text=text)
    expect(reply).to_be_visible()
    reply_id = reply.get_attribute("id").removeprefix("c-")
    held = "comment--pending" in (reply.get_attribute("class") or "")
    demo.context.close()
    if held:
        moderator = moderator_tab(browser, live_site)
        moderator.goto(f"/admin/moderation/queue/pending/?q={text.split()[-1]}")
        expect(moderator.locator("[data-mod-card]")).to_have_count(1)
        moderator.keyboard.press("j")
        moderator.keyboard.press("a")
        expect(moderator.locator(".messages")).to_contain_text("Approved the comment")
        moderator.context.close()
    return reply_id


def test_a_reader_ignores_a_member_opens_the_collapsed_comment_and_stops_from_the_profile(
    page, browser, live_site, mail_sink
):
    address = _demo_readers_comment(browser, live_site)
    comment_id = re.search(r"/c/(\d+)/", address).group(1)
    tag = uuid.uuid4().hex[:6]
    reply_id = _demo_reader_answers_themselves(
        browser, live_site, comment_id, f"And one more thing {tag}"
    )
    _sign_up_and_in(page, live_site, mail_sink, email=f"ignore-{tag}@example.com", name=f"Ig {tag}")

    page.goto(address)
    comment = page.locator(f"#c-{comment_id}")
    words = comment.locator(".comment__body", has_text=THEIR_WORDS)
    expect(words).to_be_visible()
    comment.locator(":scope > article").get_by_role(
        "button", name=re.compile(r"^Ignore Demo Reader")
    ).click()

    # Collapsed in place, the line that stands for it focused, and the change announced.
    summary = comment.locator(":scope > details.comment__ignored > summary")
    expect(summary).to_have_text(COLLAPSED)
    expect(summary).to_be_focused()
    expect(words).to_be_hidden()
    expect(page.locator("#discussion-status")).to_contain_text("You are ignoring Demo Reader")
    # The same member's reply on the page follows at once; the replies stay listed.
    expect(page.locator(f"#c-{reply_id} > details.comment__ignored > summary")).to_have_text(
        COLLAPSED
    )

    # "show it", with the keyboard: the comment as it was, its count and its Stop ignoring.
    page.keyboard.press("Enter")
    expect(words).to_be_visible()
    stop = comment.locator(":scope > details > article").get_by_role(
        "button", name=re.compile(r"^Stop ignoring Demo Reader")
    )
    expect(stop).to_be_visible()
    assert _violations(page) == []

    # Drawn by the server so from now on, for this reader.
    page.reload()
    expect(summary).to_have_text(COLLAPSED)
    expect(page.locator(f"#c-{reply_id} > details.comment__ignored")).to_have_count(1)
    expect(words).to_be_hidden()

    # The profile lists whom they ignore; Stop ignoring takes the line away, says so, and
    # leaves focus on the list's heading (no line is left).
    _own_profile(page)
    line = page.locator("#ignoring li", has_text="Demo Reader")
    expect(line).to_have_count(1)
    line.get_by_role("button", name=re.compile(r"^Stop ignoring Demo Reader")).click()
    expect(page.locator("#ignoring li")).to_have_count(0)
    expect(page.locator("#page-status")).to_have_text(
        re.compile(r"You see Demo Reader.s comments again\.")
    )
    expect(page.locator("#ignoring-heading")).to_be_focused()
    assert _violations(page) == []

    page.goto(address)
    expect(comment.locator(":scope > details.comment__ignored")).to_have_count(0)
    expect(words).to_be_visible()
    assert page.errors == []
