"""A guest who signs their comment in Cyrillic, on the production server in real Chromium.

The answer to their post carries their name in a cookie (for their next comment), and HTTP
carries headers as Latin-1: the app server failed the whole answer with a 500, so the reader was
told "nothing was changed" about a comment that had been saved. Tests through Django's test
client never saw it: it does not encode headers as a server must."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import post_as_guest

pytestmark = pytest.mark.browser

NAME = "Олена Коваль"


def test_a_guest_signing_in_cyrillic_sees_the_comment_posted_and_the_name_kept(
    page: Page, live_site
):
    article = urlsplit(live_site.reference_url).path
    words = f"Written from Kharkiv {uuid.uuid4().hex[:8]}."

    post_as_guest(page, article, words, NAME)

    mine = page.locator("li.comment", has_text=words)
    expect(mine).to_be_visible()
    expect(mine.locator(".comment__author")).to_contain_text(NAME)
    expect(page.locator("#comment-form")).not_to_contain_text("Something went wrong")
    page.goto(article)
    expect(page.locator("#comment-form").get_by_label("Your display name")).to_have_value(NAME)
