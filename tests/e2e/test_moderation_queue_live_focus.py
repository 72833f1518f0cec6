"""Focus in the live moderation queue stays where the moderator is working when the page changes
under it (WCAG 2.4.3), in real Chromium. "N new in this queue - show", pressed from the keyboard
when none of the comments it announced is on the queue's page any more (the page is filtered by
a search they do not match, or they were decided meanwhile), says so and hides, and focus goes
to what stands where the button was. A card another moderator decides meanwhile has its
buttons turned off, and focus on one of them goes to the card, which says what was done. Either
way it went to the top of the page before."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import LiveSite
from tests.e2e.helpers import moderator_tab, new_tab

pytestmark = pytest.mark.browser


def _hold_a_new_guests_comment(browser: Browser, live_site: LiveSite) -> str:
    """A new guest's first comment, which the site holds for review; returns its text."""
    text = f"A new guest's first word on the talks ({uuid.uuid4().hex[:8]})."
    writer = new_tab(browser, live_site)
    writer.goto(live_site.reference_url)
    writer.fill("#comment-form-body", text)
    writer.fill("#comment-form-name", f"First Timer {uuid.uuid4().hex[:4]}")
    writer.get_by_role("button", name="Post comment").click()
    expect(writer.locator("#discussion-status")).to_contain_text("waiting for review")
    return text


def test_show_with_nothing_left_to_show_keeps_focus_where_the_button_was(
    browser: Browser, live_site: LiveSite
):
    moderator = moderator_tab(browser, live_site)
    moderator.goto(f"/admin/moderation/queue/pending/?q=matches-nothing-{uuid.uuid4().hex[:8]}")
    expect(moderator.locator("#mod-live")).to_have_attribute("data-state", "open")
    _hold_a_new_guests_comment(browser, live_site)
    button = moderator.locator("#mod-live-show")
    expect(button).to_have_text("1 new in this queue \u2014 show")

    button.focus()
    moderator.keyboard.press("Enter")

    expect(moderator.locator("#mod-live-status")).to_contain_text("filtered to")
    expect(button).to_be_hidden()
    expect(moderator.locator("[data-mod-empty]")).to_be_focused()


def test_a_card_decided_by_another_moderator_takes_the_focus_its_button_had(
    browser: Browser, live_site: LiveSite
):
    text = _hold_a_new_guests_comment(browser, live_site)
    queue = f"/admin/moderation/queue/pending/?q={text[-10:-2]}"  # its own words: this card alone
    moderator = moderator_tab(browser, live_site)
    moderator.goto(queue)
    expect(moderator.locator("#mod-live")).to_have_attribute("data-state", "open")
    card = moderator.locator("[data-mod-card]")
    expect(card).to_have_count(1)
    card.get_by_role("button", name="Approve (a)").focus()
    other = moderator_tab(browser, live_site)
    other.goto(queue)
    other.get_by_role("button", name="Approve (a)").click()
    expect(other.locator("[data-mod-card]")).to_have_count(0)

    expect(card.locator(".mod-decided")).to_be_visible()
    expect(card.get_by_role("button", name="Approve (a)")).to_be_disabled()
    expect(card).to_be_focused()
