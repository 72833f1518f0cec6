"""An editor adds a correction in the Wagtail admin, in real Chromium, and slips on its year: the
edit screen refuses that time on the field, keeps the note as typed, and readers see nothing."""

from __future__ import annotations

import json
import urllib.request
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import moderator_tab

pytestmark = pytest.mark.browser

NOTE = "An earlier version of this article gave the wrong date for the talks."


def _article_id(live_site, path: str) -> int:
    url = live_site.url(f"/api/v1/threads/comments?url={quote(path)}&limit=1")
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
        return json.load(response)["article_id"]


def test_a_correction_dated_a_year_ahead_is_refused_on_its_field_with_the_note_kept(
    browser, live_site
):
    path = urlsplit(live_site.reference_url).path
    editor = moderator_tab(browser, live_site)
    editor.goto(f"/admin/pages/{_article_id(live_site, path)}/edit/")
    editor.locator("#id_corrections-ADD").click()
    row = int(editor.input_value("#id_corrections-TOTAL_FORMS")) - 1
    # The newsroom's time zone is London's: a year ahead is ahead whatever the offset.
    a_year_ahead = (datetime.now(UTC) + timedelta(days=365)).strftime("%Y-%m-%d %H:%M:%S")
    editor.fill(f"#id_corrections-{row}-corrected_at", a_year_ahead)
    editor.fill(f"#id_corrections-{row}-text", NOTE)

    editor.get_by_role("button", name="More actions").click()
    editor.get_by_role("button", name="Publish", exact=True).click()

    expect(editor.get_by_text("could not be saved due to validation errors")).to_be_visible()
    expect(editor.get_by_text("This time is in the future.")).to_be_visible()
    expect(editor.locator(f"#id_corrections-{row}-text")).to_have_value(NOTE)
    reader = browser.new_context(base_url=live_site.base_url).new_page()
    reader.goto(path)
    expect(reader.get_by_text(NOTE)).to_have_count(0)
