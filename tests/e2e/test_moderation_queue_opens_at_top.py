"""The moderation queue opens at its top on a phone: heading, filters and the last action's
confirmation in view, not scrolled away to the first card; j then takes the moderator there."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import LiveSite
from tests.e2e.helpers import moderator_tab

pytestmark = pytest.mark.browser


def test_the_queue_opens_at_its_top_and_j_goes_to_the_first_card(
    browser: Browser, live_site: LiveSite
):
    moderator = moderator_tab(browser, live_site)
    moderator.set_viewport_size({"width": 390, "height": 844})
    moderator.goto("/admin/moderation/queue/unmoderated/")
    expect(moderator.locator("[data-mod-card]").first).to_be_attached()

    assert moderator.evaluate("window.scrollY") == 0
    moderator.keyboard.press("j")
    expect(moderator.locator("[data-mod-card]").first).to_be_focused()
