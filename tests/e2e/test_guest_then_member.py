"""A guest comments, then signs up and in, in the same browser, in Chromium against the real
server: the thread still shows them their comment, waiting for review, as its author, and its
"Why is it waiting?" link opens the page that says why (it answered "There is no page at this
address." once they were signed in)."""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import run_worker_once

pytestmark = pytest.mark.browser

PASSWORD = "a long and unusual passphrase 8"


def test_a_guests_held_comment_keeps_its_why_link_after_they_sign_up(page, live_site, mail_sink):
    email = f"guest-{uuid.uuid4().hex[:8]}@example.com"
    article_path = urlsplit(live_site.reference_url).path
    words = f"Posted as a guest, {uuid.uuid4().hex[:6]}."

    # As a guest: a new guest's first comment waits for review, shown to them alone.
    page.goto(article_path)
    form = page.locator("#comment-form")
    form.get_by_label("Enter comments here:").fill(words)
    form.locator("input[name=author_name]").fill("Passing Guest")
    form.get_by_role("button", name="Post comment").click()
    mine = page.locator("li.comment", has_text=words)
    expect(mine).to_contain_text("Awaiting review")

    # Sign up in the same browser, confirm the address from the email, and sign in.
    page.get_by_role("navigation", name="Your account").get_by_role("link", name="Sign up").click()
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=display_name]").fill(f"Once a Guest {uuid.uuid4().hex[:4]}")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/"))
    run_worker_once(live_site)
    message = mail_sink.wait_for(to=email, subject="confirm")
    text = message.get_body(preferencelist=("plain",)).get_content()
    page.goto(re.search(r"https?://\S+/accounts/confirm-email/\S+", text).group(0))
    page.get_by_role("button", name="Confirm").click()
    page.goto("/accounts/login/?next=" + article_path)
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(re.escape(article_path)))

    # Their comment still shows to them as theirs, and its link says why it waits.
    mine = page.locator("li.comment", has_text=words)
    expect(mine).to_contain_text("Awaiting review")
    mine.get_by_role("link", name="Why is it waiting?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Why your comment is waiting")
