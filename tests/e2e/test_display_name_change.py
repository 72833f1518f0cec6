"""A member changes their display name from their profile in real Chromium, with the keyboard
alone: a taken name comes back refused, announced by the field, which has focus and keeps what
was typed, and the page breaks no WCAG AA rule axe can check; a free one is saved, announced,
and shown on their comment in the article.

The member signs up afresh (the demo reader's name is other tests' to read) and confirms their
address from the email, as a reader does.
"""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import run_worker_once
from tests.e2e.test_accessibility import _violations

pytestmark = pytest.mark.browser

PASSWORD = "a long and unusual passphrase 7"


def _sign_up_and_in(page: Page, live_site, mail_sink, *, email: str, name: str) -> None:
    page.goto("/accounts/signup/")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=display_name]").fill(name)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/"))
    run_worker_once(live_site)  # the task worker sends allauth's email (accounts.tasks)
    text = mail_sink.wait_for(to=email, subject="confirm").get_body(("plain",)).get_content()
    page.goto(re.search(r"https?://\S+/accounts/confirm-email/\S+", text).group(0))
    page.get_by_role("button", name="Confirm").click()
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/)"))


def _tab_to(page: Page, locator) -> None:
    """Press Tab until ``locator`` has focus, as a keyboard user moves through the page."""
    for _ in range(80):
        if locator.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    pytest.fail("Tab never reached the display name field")


def test_a_member_renames_from_their_profile_with_the_keyboard(page, live_site, mail_sink):
    tag = uuid.uuid4().hex[:6]
    name, new_name = f"Rename {tag}", f"Renamed {tag}"
    _sign_up_and_in(page, live_site, mail_sink, email=f"rename-{tag}@example.com", name=name)
    article_path = urlsplit(live_site.reference_url).path
    page.goto(article_path)
    form = page.locator("#comment-form")
    form.get_by_label("Enter comments here:").fill(f"A comment by {tag}.")
    form.get_by_role("button", name="Post comment").click()
    mine = page.locator("li.comment", has_text=f"A comment by {tag}.")
    expect(mine.locator(".comment__author").first).to_have_text(name)

    page.get_by_role("navigation", name="Your account").locator(".masthead__who a").click()
    page.wait_for_url(re.compile(r"/readers/\d+/$"))
    field = page.get_by_label("Display name")
    expect(field).to_have_value(name)

    # A name taken by another member (the demo's own reader): refused, by the field.
    _tab_to(page, field)
    page.keyboard.press("Control+A")
    page.keyboard.type("demo-reader")
    page.keyboard.press("Enter")
    field = page.get_by_label("Display name")
    expect(field).to_be_focused()
    expect(field).to_have_value("demo-reader")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description(re.compile("readers could take one for"))
    expect(page.get_by_role("alert")).to_contain_text("Please choose another.")
    assert _violations(page) == []

    # A free name: saved, and said so in the page's status message.
    page.keyboard.press("Control+A")
    page.keyboard.type(new_name)
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text(
        f"Your display name is now “{new_name}”. Your comments show it too."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(new_name)
    expect(page.get_by_label("Display name")).to_have_value(new_name)

    # The comment in the article shows the new name.
    page.goto(article_path)
    mine = page.locator("li.comment", has_text=f"A comment by {tag}.")
    expect(mine.locator(".comment__author").first).to_have_text(new_name)
    # The refused form's own answer is a 400, which Chromium reports; nothing else went wrong.
    refused = "the server responded with a status of 400"
    assert [error for error in page.errors if refused not in error] == []
    assert len(page.errors) == 1
