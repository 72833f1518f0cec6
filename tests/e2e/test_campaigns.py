"""Coordinated-campaign detection in real Chromium against a real server: three new readers post
one talking point, reworded; a pass of detection (as the scheduler runs it) finds them; a
moderator opens Campaigns, reads the campaign and removes its comments.

Its texts carry a marker of their own, so they form a campaign apart from the demo's."""

from __future__ import annotations

import re
import subprocess
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PROJECT_DIR, VENV_BIN
from tests.e2e.helpers import moderator_tab, new_tab

pytestmark = pytest.mark.browser

COPIES = [
    "Sanctions on {m} hurt ordinary families far more than any general, and papers never say so.",
    "The sanctions on {m} hurt ordinary families far more than any general; papers never say so!",
    "Sanctions on {m} hurt ordinary families much more than any general and papers never say so.",
]


def test_a_moderator_finds_a_campaign_and_removes_its_comments(browser, live_site):
    marker = f"zq{uuid.uuid4().hex[:6]}"
    for number, copy in enumerate(COPIES):
        reader = new_tab(browser, live_site)
        reader.goto(live_site.reference_url)
        form = reader.locator("#comment-form")
        form.get_by_label("Enter comments here:").fill(copy.format(m=marker))
        form.get_by_label("Your display name").fill(f"Sender {marker} {number}")
        form.get_by_role("button", name="Post comment").click()
        expect(reader.locator("li.comment", has_text=marker)).to_be_visible()
        reader.context.close()
    subprocess.run(  # noqa: S603 - fixed command line, our own venv
        [str(VENV_BIN / "python"), "manage.py", "scan_campaigns"],
        cwd=PROJECT_DIR,
        env=live_site.env,
        check=True,
        timeout=120,
        capture_output=True,
    )

    moderator = moderator_tab(browser, live_site)
    moderator.get_by_role("link", name="Campaigns", exact=True).click()
    moderator.get_by_role("link", name=re.compile(marker)).click()
    expect(moderator.locator("main")).to_contain_text(
        "3 near-identical comments from 3 different readers"
    )
    moderator.get_by_label("Note to each author (optional)").fill("Copied talking points.")
    moderator.get_by_label("Yes, reject them all").check()
    moderator.get_by_role("button", name="Remove all its comments").click()

    expect(moderator.locator(".messages")).to_contain_text("Removed 3 comments of campaign")
    expect(moderator.locator("main")).to_contain_text("Comments removed.")
    moderator.context.close()
