"""The moderation journey in real Chromium against a real server: a refused comment, a held one
approved by keyboard, reader reports, a rejection with reasons, an appeal upheld.

One test, because each step needs the state the step before left; every text is unique, so it
shares the demo site with the other browser tests without depending on them.
"""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import moderator_tab, new_tab, post_as_guest

pytestmark = pytest.mark.browser


def test_the_moderation_journey(browser, live_site):
    marker = uuid.uuid4().hex[:8]
    author = new_tab(browser, live_site)

    # A banned phrase is refused, with its reason beside the text.
    post_as_guest(author, live_site.reference_url, f"Just kys already {marker}", "Olena")
    expect(author.locator("#comment-form-body-error")).to_contain_text("does not allow")

    # A suspect word is held: the author sees it in place, marked as waiting, and reads why.
    post_as_guest(author, live_site.reference_url, f"The minister is a moron {marker}", "Olena")
    held = author.locator("li.comment--pending", has_text=marker)
    expect(held).to_contain_text("Awaiting review")
    held.get_by_role("link", name="Why is it waiting?").click()
    expect(author).to_have_url(re.compile(r"/moderation/comments/\d+/why/$"))
    why_url = author.url
    comment_id = re.search(r"/comments/(\d+)/why/", why_url).group(1)
    expect(author.locator(".statement__status")).to_contain_text("Pending review")
    expect(author.locator("main, body").first).to_contain_text("which a moderator checks first")

    # A moderator approves it with the keyboard.
    moderator = moderator_tab(browser, live_site)
    moderator.goto(f"/admin/moderation/queue/pending/?q={marker}")
    expect(moderator.locator("[data-mod-card]")).to_have_count(1)
    moderator.keyboard.press("j")
    moderator.keyboard.press("a")
    expect(moderator.locator(".messages")).to_contain_text("Approved the comment by Olena.")
    # Said in the queue's status region after the page loads, so a screen reader announces it,
    # and there to screen readers only: the banner above shows it once on the screen.
    status = moderator.locator("#mod-live-status")
    expect(status).to_have_text("Approved the comment by Olena.")
    said = status.locator(".w-sr-only").bounding_box()
    assert said["width"] <= 1 and said["height"] <= 1, said
    author.goto(why_url)
    expect(author.locator(".statement__status")).to_contain_text("Published")

    # Readers report it. From the first report it is in the Reported queue, still published;
    # the third (MODERATION_REPORTS_TO_HOLD), from a third address, also takes it down until a
    # moderator looks.
    for n in range(1, 4):
        reader = new_tab(browser, live_site, address=f"198.51.100.{n}")
        reader.goto(f"/c/{comment_id}/")
        reader.locator(f"#c-{comment_id} .comment__report").click()
        form = reader.locator(f"#report-form-{comment_id}")
        form.get_by_label("Abuse or harassment").check()
        form.get_by_role("button", name="Send report").click()
        expect(reader.locator(".report-thanks")).to_be_visible()
        # Where the Report link was, the comment says "Reported" at once, without a reload.
        expect(reader.locator(f"#c-{comment_id} .comment__reported")).to_contain_text("Reported")
        expect(reader.locator(f"#c-{comment_id} .comment__report")).to_have_count(0)
        reader.context.close()
        moderator.goto(f"/admin/moderation/queue/reported/?q={marker}")
        card = moderator.locator("[data-mod-card]")
        expect(card).to_have_count(1)
        expect(card).to_contain_text(f"Reports ({n})")
        expect(card.locator(".mod-status")).to_have_text("Published" if n < 3 else "Pending review")

    # The moderator rejects it with a reason, by keyboard: r, choose, Enter.
    moderator.keyboard.press("j")
    moderator.keyboard.press("r")
    reason = card.locator('select[data-mod-key="r"]')
    expect(reason).to_be_focused()
    reason.select_option("abuse")
    reason.press("Enter")
    expect(moderator.locator(".messages")).to_contain_text("Rejected the comment by Olena.")

    # The author reads the statement of reasons and appeals.
    author.goto(why_url)
    expect(author.locator(".statement__status")).to_contain_text("Rejected")
    expect(author.locator(".statement")).to_contain_text("It attacks or insults a person.")
    expect(author.locator(".statement")).to_contain_text("by a moderator")
    author.get_by_label("Why should this decision be changed?").fill(
        "I was criticising a minister's policy, not a reader."
    )
    author.get_by_role("button", name="Send appeal").click()
    # The statement's own notice (the page also has its empty region for messages, base.html).
    expect(author.get_by_role("status").filter(has_text="Your appeal was sent")).to_be_visible()

    # A moderator upholds the appeal; the comment is back, and the author is told.
    moderator.goto("/admin/moderation/queue/appeals/")
    appeal = moderator.locator("[data-mod-card]", has_text=marker)
    appeal.get_by_role("button", name="Uphold and restore (a)").click()
    author.goto(why_url)
    expect(author.locator(".statement__status")).to_contain_text("Published")
    expect(author.locator(".statement")).to_contain_text("Appeal upheld")
    author.goto(f"/c/{comment_id}/")
    expect(author.locator(f"#c-{comment_id}")).to_contain_text(marker)
