"""Author actions from a card shown before another moderator acted, in real Chromium against a
real server: a "Ban 1 day" on a card shown before a ban for good leaves the ban for good, and a
second "Warn" on a comment its author was warned about is refused; each comes back at the card
with its Author actions open and the moderator's reason kept.

Two tabs of the same moderator stand for two moderators: the card's forms carry nothing about
who is looking, and the server refuses either way."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import moderator_tab, new_tab

pytestmark = pytest.mark.browser


def _card(page: Page, marker: str):
    page.goto(f"/admin/moderation/queue/pending/?q={marker}")
    card = page.locator("[data-mod-card]")
    expect(card).to_have_count(1)
    return card


def _author_action(card, button: str, *, reason: str = "abuse", permanent: bool = False) -> None:
    details = card.locator("details")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    card.get_by_label("Reason (the reader is told it)").select_option(reason)
    if permanent:
        card.get_by_label("Yes, with no end date").check()
    card.get_by_role("button", name=button, exact=True).click()


def test_author_actions_from_a_stale_card_change_nothing(browser, live_site):
    marker = uuid.uuid4().hex[:8]
    author = new_tab(browser, live_site)
    author.goto(live_site.reference_url)
    form = author.locator("#comment-form")
    form.get_by_label("Enter comments here:").fill(f"The minister is a moron {marker}")
    form.get_by_label("Your display name").fill("Olena")
    form.get_by_role("button", name="Post comment").click()
    expect(author.locator("li.comment--pending", has_text=marker)).to_be_visible()

    first = moderator_tab(browser, live_site)
    second = new_tab(browser, live_site)
    second.context.add_cookies(first.context.cookies())
    stale = _card(second, marker)  # shown before anything was done to Olena
    fresh = _card(first, marker)

    _author_action(fresh, "Ban permanently", permanent=True)
    expect(first.locator(".messages")).to_contain_text("Banned Olena permanently.")

    _author_action(stale, "Ban 1 day", reason="spam")
    expect(second.locator(".messages")).to_contain_text(
        "This reader is banned permanently already, so nothing was done"
    )
    card = second.locator("[data-mod-card]")
    expect(card.locator(".mod-history")).to_contain_text("Banned permanently.")
    expect(card.locator("details")).to_have_attribute("open", "")
    expect(card.get_by_label("Reason (the reader is told it)")).to_have_value("spam")

    stale = _card(second, marker)
    _author_action(_card(first, marker), "Warn")
    expect(first.locator(".messages")).to_contain_text("Warned Olena.")
    _author_action(stale, "Warn")
    expect(second.locator(".messages")).to_contain_text(
        "This reader was warned about this comment already, so nothing was done"
    )
    expect(_card(second, marker).locator(".mod-history")).to_contain_text("Warned 1 time.")
