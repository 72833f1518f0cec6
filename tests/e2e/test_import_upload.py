"""Settings > Import comments in real Chromium: a superuser uploads a Disqus export, the task
worker imports it, and the import's page follows it to its report without being reloaded."""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from importers.tests.exports import disqus, disqus_post, disqus_thread
from tests.e2e.helpers import moderator_tab, run_worker_once

pytestmark = pytest.mark.browser


def test_an_uploaded_disqus_export_is_imported_and_its_page_shows_the_report(
    browser, live_site, tmp_path
):
    words = f"Imported from the old site {uuid.uuid4().hex[:8]}."
    path = urlsplit(live_site.reference_url).path
    export = tmp_path / "disqus-export.xml"
    export.write_bytes(
        disqus(
            disqus_thread(f"t-{words}", f"https://old.example.com{path}"),
            disqus_post(f"p-{words}", f"t-{words}", f"<p>{words}</p>", name="Old Reader"),
        )
    )
    page = moderator_tab(browser, live_site)
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    page.get_by_role("button", name="Settings").click()
    page.get_by_role("link", name="Import comments").click()

    page.get_by_label("Disqus").check()
    page.get_by_label("The export file").set_input_files(export)
    page.get_by_role("button", name="Upload and import").click()

    expect(page).to_have_url(re.compile(r"/admin/comments-import/\d+/$"))
    status = page.locator("#import-status")
    expect(status).to_have_text("Waiting for the task worker")
    run_worker_once(live_site)
    expect(status).to_have_text("Done", timeout=10_000)
    expect(page.locator("#import-report")).to_contain_text("1 comment imported")
    assert errors == []
