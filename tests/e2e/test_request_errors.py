"""When the site refuses what htmx sent, in real Chromium: the reader's text stays and a message
beside the button says what happened, rather than the button silently doing nothing."""

from __future__ import annotations

import secrets
import string
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import new_tab

pytestmark = pytest.mark.browser


def _new_secret() -> str:
    """A CSRF secret as Django makes one: what signing in or out in another tab leaves in the
    cookie, which the page's own token no longer matches."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(32))


def test_a_comment_refused_for_an_expired_token_says_so_keeps_the_text_and_sends_again(
    browser, live_site
):
    page = new_tab(browser, live_site)
    page.goto(live_site.reference_url)
    text = f"Typed before signing in elsewhere {time.time_ns()}"
    page.fill("#comment-form-body", text)
    page.fill("#comment-form-name", f"Token Tester {time.time_ns() % 10_000}")
    page.context.add_cookies(
        [{"name": "csrftoken", "value": _new_secret(), "url": live_site.base_url}]
    )

    page.get_by_role("button", name="Post comment").click()

    message = page.locator("#comment-form .request-error[role=alert]")
    expect(message).to_contain_text("security check had run out")
    expect(page.locator("#comment-form-body")).to_have_value(text)
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator(".comment__body", has_text=text)).to_be_visible()
    expect(message).to_have_count(0)
    page.context.close()


def test_a_recommend_refused_for_an_expired_token_says_so_and_works_when_pressed_again(
    browser, live_site
):
    page = new_tab(browser, live_site)
    page.goto(live_site.reference_url)
    page.context.add_cookies(
        [{"name": "csrftoken", "value": _new_secret(), "url": live_site.base_url}]
    )
    button = page.locator(".reaction__button").first
    before = button.get_attribute("aria-pressed")

    button.click()

    message = page.locator(".reaction + .request-error[role=alert]").first
    expect(message).to_contain_text("It has been renewed: please press again.")
    expect(button).to_have_attribute("aria-pressed", before)
    button.click()
    expect(page.locator(".reaction__button").first).not_to_have_attribute("aria-pressed", before)
    expect(message).to_have_count(0)
    page.context.close()


def test_a_comment_too_big_to_send_says_so_and_keeps_the_text(browser, live_site):
    """Megabytes in the box (over Django's DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB): the site reads
    none of it, and the message says to shorten the text that is still there, not to reload."""
    page = new_tab(browser, live_site)
    page.goto(live_site.reference_url)
    page.evaluate("document.querySelector('#comment-form-body').value = 'y'.repeat(3000000)")
    page.fill("#comment-form-name", "Paste Tester")

    page.get_by_role("button", name="Post comment").click()

    message = page.locator("#comment-form .request-error[role=alert]")
    expect(message).to_contain_text("far too long to send")
    expect(message).to_contain_text("Your text is still here")
    assert page.evaluate("document.querySelector('#comment-form-body').value.length") == 3_000_000
    page.context.close()
