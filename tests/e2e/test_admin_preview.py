"""An editor previews an article beside its edit form in the Wagtail admin, in real Chromium:
the preview panel frames the article as readers will see it."""

from __future__ import annotations

import json
import urllib.request
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import moderator_tab

pytestmark = pytest.mark.browser


def _article_id(live_site, path: str) -> int:
    url = live_site.url(f"/api/v1/threads/comments?url={quote(path)}&limit=1")
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
        return json.load(response)["article_id"]


def test_the_preview_panel_shows_the_article_beside_its_edit_form(browser, live_site):
    """The preview is the article page drawn through the site's middleware, which gave it the
    site's ``frame-ancestors 'none'``: Chromium refused to frame it in the admin's own panel,
    and the editor saw "127.0.0.1 is blocked" where the article should be."""
    path = urlsplit(live_site.reference_url).path
    editor = moderator_tab(browser, live_site)
    editor.goto(f"/admin/pages/{_article_id(live_site, path)}/edit/")
    headline = editor.input_value("#id_title")

    editor.get_by_role("button", name="Toggle preview").click()

    preview = editor.frame_locator("#w-preview-iframe")
    expect(preview.locator("h1")).to_have_text(headline, timeout=20_000)
    expect(preview.locator("figure figcaption").first).to_contain_text("CREDIT:")
