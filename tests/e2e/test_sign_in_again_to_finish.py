"""A reader whose session ended while their profile was open presses "Save email choice" in real
Chromium: the sign-in page says why it is asked for, in a status message above its form, and
signing in again brings them back to their profile, told that nothing was sent.

Signed in as the demo reader, whose password ``load_demo`` keeps in the site's var folder.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from accounts.services import DEMO_READER_EMAIL
from tests.e2e.test_account_page_buttons import _own_profile

pytestmark = pytest.mark.browser


def _sign_in(page: Page, password: str) -> None:
    page.locator("input[name=login]").fill(DEMO_READER_EMAIL)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/)"))


def test_a_form_pressed_after_the_session_ended_is_explained_on_the_sign_in_page(page, live_site):
    password = (Path(live_site.env["BROADSHEET_VAR_DIR"]) / "demo-reader-password").read_text()
    page.goto("/accounts/login/")
    _sign_in(page, password.strip())
    _own_profile(page)
    profile = page.url
    page.context.clear_cookies(name="sessionid")  # the session ends while the page is open

    page.get_by_role("button", name="Save email choice").click()

    page.wait_for_url(re.compile(r"/accounts/login/"))
    said = page.get_by_role("status").filter(has_text="your session had ended")
    expect(said).to_have_text("Sign in again to finish: your session had ended.")
    assert said.evaluate(
        "line => !!(line.compareDocumentPosition(document.querySelector('main form'))"
        " & Node.DOCUMENT_POSITION_FOLLOWING)"
    )
    _sign_in(page, password.strip())
    assert page.url == profile
    expect(page.locator(".messages")).to_contain_text(
        "Nothing was sent. Press “Save email choice” again."
    )
