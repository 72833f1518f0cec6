"""The moderation queue's single-key shortcuts (j, k, a, r, f, ?) in real Chromium: a moderator
can turn them off (WCAG 2.1.4 Character Key Shortcuts), with the switch Wagtail's own shortcuts
have in the admin's account preferences, so a key pressed by mistake or a speech command heard
as a letter does not move through the queue or decide a comment; the help says where."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import LiveSite
from tests.e2e.helpers import moderator_tab

pytestmark = pytest.mark.browser

QUEUE = "/admin/moderation/queue/unmoderated/"


def _keyboard_shortcuts(moderator: Page, *, on: bool) -> None:
    """Wagtail's account preferences, as a moderator sets them: the Keyboard shortcuts switch."""
    moderator.goto("/admin/account/")
    moderator.get_by_role("checkbox", name="Keyboard shortcuts").set_checked(on, force=True)
    moderator.get_by_role("button", name="Save").click()
    expect(moderator.locator(".messages")).to_contain_text("changed successfully")


@pytest.fixture
def moderator_without_shortcuts(browser: Browser, live_site: LiveSite):
    moderator = moderator_tab(browser, live_site)
    _keyboard_shortcuts(moderator, on=False)
    try:
        yield moderator
    finally:
        # The demo's one staff account: the other tests' moderator has them on.
        _keyboard_shortcuts(moderator, on=True)


def test_with_keyboard_shortcuts_off_j_and_question_mark_do_nothing_in_the_queue(
    moderator_without_shortcuts: Page,
):
    moderator = moderator_without_shortcuts
    moderator.goto(QUEUE)
    first = moderator.locator("[data-mod-card]").first
    expect(first).to_be_attached()

    moderator.keyboard.press("j")
    expect(first).not_to_be_focused()
    moderator.keyboard.press("?")
    expect(moderator.locator("[data-mod-help]")).not_to_be_visible()


def test_the_shortcuts_help_says_where_to_turn_them_off(browser: Browser, live_site: LiveSite):
    moderator = moderator_tab(browser, live_site)
    moderator.goto(QUEUE)

    moderator.get_by_role("button", name="Keyboard shortcuts (?)").click()

    help_dialog = moderator.locator("[data-mod-help]")
    expect(help_dialog).to_be_visible()
    expect(help_dialog.get_by_role("link", name="your account preferences")).to_have_attribute(
        "href", "/admin/account/"
    )
