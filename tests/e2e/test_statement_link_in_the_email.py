"""A guest whose comment a moderator removed opens the link in the email they were sent, in a
browser that is not the one they commented in (a phone, a mail app's own browser), reads why and
appeals. Before, that browser had no guest cookie, and the link answered "There is no page at
this address.", in real Chromium against a real server and its SMTP server on loopback."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import moderator_tab, new_tab, run_worker_once

pytestmark = pytest.mark.browser


def test_the_emailed_link_opens_the_statement_and_takes_the_appeal_in_another_browser(
    browser, live_site, mail_sink
):
    marker = uuid.uuid4().hex[:8]
    email = f"olena-{marker}@example.com"
    author = new_tab(browser, live_site)
    author.goto(live_site.reference_url)
    form = author.locator("#comment-form")
    form.get_by_label("Enter comments here:").fill(f"The minister is a moron {marker}")
    form.get_by_label("Your display name").fill("Olena")
    form.locator("#comment-form-email").fill(email)
    form.get_by_role("button", name="Post comment").click()
    expect(author.locator("li.comment--pending", has_text=marker)).to_contain_text(
        "Awaiting review"
    )
    author.context.close()

    moderator = moderator_tab(browser, live_site)
    moderator.goto(f"/admin/moderation/queue/pending/?q={marker}")
    card = moderator.locator("[data-mod-card]")
    expect(card).to_have_count(1)
    card.locator('select[data-mod-key="r"]').select_option("abuse")
    card.get_by_role("button", name=re.compile("^Reject")).click()
    expect(moderator.locator(".messages")).to_contain_text("Rejected the comment by Olena.")
    moderator.context.close()

    # The background worker sends the email (moderation.tasks): the moderator did not wait for it.
    run_worker_once(live_site)
    message = mail_sink.wait_for(to=email, subject="not published")
    link = re.search(r"https?://\S+/why/\S*", message.get_content()).group(0)

    elsewhere = new_tab(browser, live_site)  # no cookie of the browser they commented in
    elsewhere.goto(link)
    expect(elsewhere.locator("h1")).to_have_text("Why your comment was not published")
    expect(elsewhere.locator(".statement")).to_contain_text("It attacks or insults a person.")
    elsewhere.get_by_label("Why should this decision be changed?").fill(
        "I was criticising a minister's policy, not a reader."
    )
    elsewhere.get_by_role("button", name="Send appeal").click()
    expect(elsewhere.get_by_role("status").filter(has_text="Your appeal was sent")).to_be_visible()
