"""On a discussion for members only, a guest's Reply is a sign-in prompt in place of a form they
could only fill in to have it refused ("Please sign in to comment here"), with no way on to sign
in from there and their text lost on the way. The prompt takes focus, so it is read out, and
its Sign in leads back to the reply form for that same comment. In real Chromium, by keyboard."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from accounts.services import DEMO_READER_EMAIL

pytestmark = pytest.mark.browser

# A demo article no other browser test opens: its thread is made members-only for these tests,
# then given back the choice it had. Prints the article's address and the choice it had.
SLUG = "markets-rally-on-hopes-for-ukraine-talks"
_GUESTS_ALLOWED = """
from discussion.models import Thread
from discussion.services import thread_update
from newsroom.models import ArticlePage
article = ArticlePage.objects.get(slug={slug!r})
thread = Thread.objects.get(page=article)
had = thread.guests_allowed
thread_update(thread=thread, is_closed=thread.is_closed, guests_allowed={allowed})
print(article.url, had)
"""
TOP_LEVEL = "#comment-list > li.comment"


def _guests_allowed(live_site, allowed: bool | None) -> tuple[str, str]:
    done = subprocess.run(  # noqa: S603 - our own venv and manage.py
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            _GUESTS_ALLOWED.format(slug=SLUG, allowed=allowed),
        ],
        env=live_site.env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    url, had = done.stdout.split()[-2:]
    return url, had


@pytest.fixture
def members_only(live_site):
    url, had = _guests_allowed(live_site, False)
    try:
        yield url
    finally:
        _guests_allowed(live_site, {"True": True, "False": False}.get(had))


def _press_reply(page: Page, url: str):
    page.goto(url)
    comment = page.locator(TOP_LEVEL).first
    comment.locator(":scope > article .comment__reply").focus()
    page.keyboard.press("Enter")
    return comment


def test_a_guests_reply_on_a_members_only_discussion_is_a_sign_in_prompt_with_focus(
    page: Page, members_only
):
    comment = _press_reply(page, members_only)

    prompt = comment.locator(":scope > article .reply-slot").first
    expect(prompt).to_contain_text("Replies here are for signed-in readers.")
    expect(prompt.locator("textarea")).to_have_count(0)
    expect(prompt.locator(".notice")).to_be_focused()


def test_signing_in_from_the_prompt_opens_the_reply_form_for_that_comment(
    page: Page, members_only, live_site
):
    comment = _press_reply(page, members_only)
    author = comment.locator(":scope > article .comment__author").inner_text()

    comment.locator(":scope > article .reply-slot").get_by_role("link", name="Sign in").click()
    password = (Path(live_site.env["BROADSHEET_VAR_DIR"]) / "demo-reader-password").read_text()
    page.get_by_label("Email").fill(DEMO_READER_EMAIL)
    page.get_by_label("Password").fill(password.strip())
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(re.compile(rf"{re.escape(members_only)}\?reply_to=\d+#comment-form$"))
    expect(page.locator("#comment-form-heading")).to_have_text(f"Reply to {author}")


def test_without_javascript_the_sign_in_asked_for_after_reply_leads_back_to_that_reply(
    page_nojs: Page, members_only, live_site
):
    page_nojs.goto(members_only)
    comment = page_nojs.locator(TOP_LEVEL).first
    author = comment.locator(":scope > article .comment__author").inner_text()

    comment.locator(":scope > article .comment__reply").click()  # the article, ?reply_to=<id>
    notice = page_nojs.locator("#comment-form")
    expect(notice).to_contain_text(f"to reply to {author}")
    notice.get_by_role("link", name="Sign in").click()
    password = (Path(live_site.env["BROADSHEET_VAR_DIR"]) / "demo-reader-password").read_text()
    page_nojs.get_by_label("Email").fill(DEMO_READER_EMAIL)
    page_nojs.get_by_label("Password").fill(password.strip())
    page_nojs.get_by_role("button", name="Sign in").click()

    expect(page_nojs.locator("#comment-form-heading")).to_have_text(f"Reply to {author}")
