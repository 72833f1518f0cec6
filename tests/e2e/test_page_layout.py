"""The reference article's layout in real Chromium: nothing pushes a phone's page sideways, and
every field of the comment form is drawn the same, large enough to tap."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_on_a_phone_the_reference_article_never_scrolls_sideways(browser, live_site):
    context = browser.new_context(viewport=PHONE, base_url=live_site.base_url)
    page = context.new_page()

    page.goto(live_site.reference_url)

    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_email_field_is_drawn_like_the_name_field(page: Page, live_site):
    page.goto(live_site.reference_url)
    form = page.locator("#comment-form")

    email = form.get_by_label("Email (optional)").bounding_box()
    name = form.get_by_label("Your display name").bounding_box()

    assert email is not None and name is not None
    assert email["height"] >= 24, email
    assert abs(email["width"] - name["width"]) <= 2, (email, name)
