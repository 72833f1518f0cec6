"""A queue action refused for a field (a reject with no reason, a note too long, a permanent ban
or "Reject their last 7 days" unconfirmed, a bulk reject with no reason) brings the moderator
back with the focus in that field, not on its card (WCAG 3.3.1, 2.4.3), with and without
JavaScript.

Each case bypasses the browser's own check (``required``, ``maxlength``), as an older page, an
assistive tool or a script may, so the server's refusal is what is tested. Every comment is
the test's own (a unique marker), so it shares the demo site with the other browser tests.
"""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import moderator_tab, new_tab

pytestmark = pytest.mark.browser


def _held_comment(browser, live_site, marker: str) -> None:
    """A comment a new guest posts with a suspect word: held for the Pending queue."""
    author = new_tab(browser, live_site)
    author.goto(live_site.reference_url)
    form = author.locator("#comment-form")
    form.get_by_label("Enter comments here:").fill(f"The minister is a moron {marker}")
    form.get_by_label("Your display name").fill("Olena")
    form.get_by_role("button", name="Post comment").click()
    expect(author.locator("li.comment--pending", has_text=marker)).to_be_visible()
    author.context.close()


def _signed_in_without_javascript(browser, live_site) -> Page:
    """The moderator's session, in a context of its own with JavaScript turned off."""
    signed_in = moderator_tab(browser, live_site)
    cookies = signed_in.context.cookies()
    context = browser.new_context(base_url=live_site.base_url, java_script_enabled=False)
    context.add_cookies(cookies)
    context.set_default_timeout(10_000)
    return context.new_page()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_refused_action_puts_the_focus_in_the_field_to_put_right(browser, live_site, javascript):
    marker = uuid.uuid4().hex[:8]
    _held_comment(browser, live_site, marker)
    if javascript:
        moderator = moderator_tab(browser, live_site)
    else:
        moderator = _signed_in_without_javascript(browser, live_site)
    queue = f"/admin/moderation/queue/pending/?q={marker}"
    moderator.goto(queue)
    card = moderator.locator("[data-mod-card]")
    expect(card).to_have_count(1)
    reject = card.locator("form.mod-reject")

    # Reject with no reason, the list's `required` bypassed: back at the card, the note kept,
    # and the focus in the reason list, which says what is wrong.
    reject.locator("select").evaluate("select => { select.required = false; }")
    reject.get_by_label("Note to the author").fill("Please argue with the policy, not the man.")
    reject.get_by_role("button", name="Reject (r, then Enter)").click()
    reason = reject.locator('select[name="reason_code"]')
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(reason).to_be_focused()
    expect(reject.get_by_label("Note to the author")).to_have_value(
        "Please argue with the policy, not the man."
    )
    if javascript:  # j and k go on from this card
        expect(card).to_have_class("mod-card mod-card--current")

    # A note over 1,000 characters, `maxlength` bypassed: the focus in the note, kept whole.
    too_long = "x" * 1001
    reason.select_option("abuse")
    note = reject.locator('input[name="note"]')
    note.evaluate("(input, text) => { input.removeAttribute('maxlength'); input.value = text; }",
                  too_long)  # fmt: skip
    reject.get_by_role("button", name="Reject (r, then Enter)").click()
    expect(note).to_be_focused()
    expect(note).to_have_value(too_long)
    expect(card.locator(".mod-status")).to_have_text("Pending review")

    # A permanent ban without its box ticked: the focus on the box.
    card.locator("summary", has_text="Author actions").click()
    card.get_by_label("Reason (the reader is told it)").select_option("abuse")
    card.get_by_role("button", name="Ban permanently").click()
    expect(card.locator('input[name="permanent"]')).to_be_focused()

    # "Reject their last 7 days" without its box ticked: the focus on the box, which says how
    # many it would reject, the reason kept, and nothing rejected.
    card.get_by_label("Reason (the reader is told it)").select_option("spam")
    card.get_by_role("button", name="Reject their last 7 days").click()
    confirm = card.locator('input[name="confirm_recent"]')
    expect(confirm).to_be_focused()
    expect(confirm.locator("xpath=..")).to_have_text(
        re.compile(r"Yes, reject their [\d,]+ comments? from the last 7 days")
    )
    expect(card.get_by_label("Reason (the reader is told it)")).to_have_value("spam")
    expect(card.locator(".mod-status")).to_have_text("Pending review")

    # A bulk reject with no reason: the focus in the bulk form's reason list, the tick kept.
    moderator.goto(queue)
    card.locator('input[name="review"]').check()
    moderator.locator("#bulk-form").get_by_role("button", name="Reject selected").click()
    expect(moderator.locator('#bulk-form select[name="reason_code"]')).to_be_focused()
    expect(card.locator('input[name="review"]')).to_be_checked()
