"""A reader's whole life in Chromium, against the real server and a real SMTP server.

Sign up from the article page, open the verification link from the email, sign in, comment,
edit within the window, get a reply from another reader, receive the reply email (sent by the
background worker), unsubscribe, download my data (giving the password again), delete my account,
and see the comment kept under "Deleted account" (the default DELETED_ACCOUNT_COMMENTS=keep).
"""

from __future__ import annotations

import json
import re
import uuid
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import moderator_tab, run_worker_once

pytestmark = pytest.mark.browser

PASSWORD = "a long and unusual passphrase 7"


def _link_in(message, pattern: str) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(pattern, text)
    assert match, f"no link matching {pattern!r} in:\n{text}"
    return match.group(0)


def test_a_reader_signs_up_comments_gets_a_reply_email_and_leaves(
    page, browser, live_site, mail_sink
):
    errors = page.errors  # console and page errors, gathered by the fixture
    email = f"journey-{uuid.uuid4().hex[:8]}@example.com"
    name = f"Journey {uuid.uuid4().hex[:4]}"
    article_path = urlsplit(live_site.reference_url).path

    # Sign up from the article page.
    page.goto(article_path)
    page.get_by_role("navigation", name="Your account").get_by_role("link", name="Sign up").click()
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=display_name]").fill(name)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/"))

    # Open the verification link from the email; the page asks for a POST.
    run_worker_once(live_site)  # the task worker sends it (accounts.tasks)
    verification = mail_sink.wait_for(to=email, subject="confirm")
    page.goto(_link_in(verification, r"https?://\S+/accounts/confirm-email/\S+"))
    page.get_by_role("button", name="Confirm").click()

    # Sign in.
    page.goto("/accounts/login/?next=" + article_path)
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(re.escape(article_path)))

    # Comment: no name field, the display name is the account's.
    form = page.locator("#comment-form")
    assert form.locator("input[name=author_name]").count() == 0
    form.get_by_label("Enter comments here:").fill("My first comment as a member.")
    form.get_by_role("button", name="Post comment").click()
    mine = page.locator("li.comment", has_text="My first comment as a member.")
    mine.wait_for()
    assert name in mine.locator(".comment__author").first.inner_text()
    comment_id = mine.first.get_attribute("id").removeprefix("c-")

    # Edit within the window; the comment then says "edited".
    mine.first.get_by_role("link", name="Edit").click()
    page.locator("textarea[name=body]").fill("My first comment, now edited.")
    page.get_by_role("button", name="Save changes").click()
    edited = page.locator(f"#c-{comment_id}")
    edited.wait_for()
    assert "My first comment, now edited." in edited.inner_text()
    assert edited.locator(".comment__edited").first.is_visible()

    # A new member's first comments wait for review (the site's default trust rule), marked so
    # for them alone; a moderator approves this one from the queue with the keyboard.
    assert "Awaiting review" in edited.inner_text()
    moderator = moderator_tab(browser, live_site)
    moderator.goto("/admin/moderation/queue/pending/?q=now+edited")
    expect(moderator.locator("[data-mod-card]")).to_have_count(1)
    moderator.keyboard.press("j")
    moderator.keyboard.press("a")
    expect(moderator.locator(".messages")).to_contain_text(f"Approved the comment by {name}.")

    # Another reader (a guest, in their own browser) replies.
    other = browser.new_context(base_url=live_site.base_url)
    guest = other.new_page()
    guest.goto(f"{article_path}?reply_to={comment_id}#comment-form")
    guest.locator("#comment-form").get_by_label("Enter comments here:").fill("I see it otherwise.")
    guest.locator("#comment-form input[name=author_name]").fill("Other Reader")
    guest.locator("#comment-form").get_by_role("button", name="Post reply").click()
    guest.locator("li.comment--reply", has_text="I see it otherwise.").wait_for()
    other.close()
    # The guest is new too, so the reply waits for review; once approved, it notifies.
    moderator.goto("/admin/moderation/queue/pending/?q=otherwise")
    expect(moderator.locator("[data-mod-card]")).to_have_count(1)
    moderator.keyboard.press("j")
    moderator.keyboard.press("a")
    expect(moderator.locator(".messages")).to_contain_text("Approved the comment by Other Reader.")

    # The background worker sends the reply email, with one-click unsubscribe headers.
    run_worker_once(live_site)
    reply_mail = mail_sink.wait_for(to=email, subject="replied to your comment")
    assert reply_mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "I see it otherwise." in reply_mail.get_body(preferencelist=("plain",)).get_content()

    # Unsubscribe: the link's page asks for a POST.
    page.goto(str(reply_mail["List-Unsubscribe"]).strip().strip("<>"))
    page.get_by_role("button", name="Unsubscribe").click()
    page.get_by_text("will get no more emails about replies").wait_for()

    # Download my data from the profile page, giving the password again when asked: the file
    # comes once it is given.
    page.goto(article_path)
    page.get_by_role("navigation", name="Your account").get_by_role("link", name=name).click()
    profile_url = page.url
    page.get_by_role("button", name="Download my data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it is you")
    page.locator("main input[name=password]").fill(PASSWORD)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Confirm").click()
    data = json.loads(download_info.value.path().read_text())
    assert data["profile"]["display_name"] == name
    assert any("now edited" in comment["body"] for comment in data["comments"])
    assert data["notification_settings"]["reply_emails"] is False

    # Delete the account (the password was given a moment ago, so it is not asked again); the
    # comment stays under "Deleted account".
    page.goto(profile_url)
    page.get_by_role("link", name="Delete my account").click()
    page.get_by_label("Yes, delete my account").check()
    page.get_by_role("button", name="Delete my account").click()
    page.wait_for_url(re.compile(r"/\?account=deleted"))
    page.goto(f"{article_path}?c={comment_id}#c-{comment_id}")
    kept = page.locator(f"#c-{comment_id}")
    assert "Deleted account" in kept.locator(".comment__author").first.inner_text()
    assert "now edited" in kept.inner_text()
    assert errors == []
