"""What a reader's own action did, said on the page it leads back to, in real Chromium: the
confirmation comes into a status region that was already on the page, and empty, when it opened.

A screen reader announces what changes in a live region, not what the page opens with: a
confirmation drawn inside its region from the start ("Your comment was deleted.") was never said.
"""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_account_page_buttons import _sign_in_as_the_demo_reader

pytestmark = pytest.mark.browser

# Run in every page before its own scripts: notes the status regions as the page's HTML drew
# them, with what they said, when the page has been read in but before its scripts have run.
_NOTE_STATUS_REGIONS_AT_LOAD = """
document.addEventListener("readystatechange", () => {
  if (document.readyState !== "interactive") return;
  window.__regionsAtLoad = Array.from(document.querySelectorAll("main [role=status]"));
  window.__saidAtLoad = window.__regionsAtLoad.map((region) => region.textContent.trim()).join("");
});
"""

_SAID_IN_A_REGION_FROM_LOAD = """
(said) => window.__regionsAtLoad.some(
  (region) => region.isConnected && region.textContent.includes(said))
"""


def _post_a_comment(page: Page, live_site) -> str:
    page.add_init_script(_NOTE_STATUS_REGIONS_AT_LOAD)
    marker = uuid.uuid4().hex[:8]
    page.goto(live_site.reference_url)
    form = page.locator("#comment-form")
    form.get_by_label("Enter comments here:").fill(f"Said in haste {marker}")
    if form.get_by_label("Your display name").count():  # a guest; a member posts as themselves
        form.get_by_label("Your display name").fill("Wren")
    form.get_by_role("button", name="Post comment").click()
    return marker


def _expect_announced(page: Page, said: str) -> None:
    """``said`` shows in a status region that the page opened with, empty."""
    expect(page.get_by_role("status").filter(has_text=said)).to_be_visible()
    assert page.evaluate("window.__saidAtLoad") == ""
    assert page.evaluate(_SAID_IN_A_REGION_FROM_LOAD, said)


def test_deleting_ones_comment_is_announced_on_the_article_it_returns_to(page: Page, live_site):
    marker = _post_a_comment(page, live_site)
    page.locator("li.comment", has_text=marker).get_by_role(
        "link", name="Delete your comment"
    ).click()

    page.get_by_role("button", name="Delete comment").click()

    expect(page).to_have_url(f"{live_site.reference_url}#comments")
    _expect_announced(page, "Your comment was deleted.")
    assert page.errors == []


def test_saving_an_edit_is_announced_on_the_article_it_returns_to(page: Page, live_site):
    marker = _post_a_comment(page, live_site)
    page.locator("li.comment", has_text=marker).get_by_role(
        "link", name="Edit your comment"
    ).click()
    page.get_by_label("Your comment").fill(f"Said with more care {marker}")

    page.get_by_role("button", name="Save changes").click()

    expect(page).to_have_url(re.compile(r"\?c=\d+#c-\d+$"))
    # The demo holds a new guest's first comments for review, and the edited text with them.
    _expect_announced(page, "Your comment was saved and is waiting for review.")
    expect(page.locator("li.comment--focus")).to_be_focused()
    assert page.errors == []


def test_muting_reply_emails_is_announced_on_the_comment(page: Page, live_site):
    _sign_in_as_the_demo_reader(page, live_site)
    marker = _post_a_comment(page, live_site)
    mine = page.locator("li.comment", has_text=marker)

    mine.get_by_role("button", name="Mute reply emails").click()

    expect(page).to_have_url(re.compile(r"\?c=\d+#c-\d+$"))
    _expect_announced(page, "Reply emails for this comment are muted.")
    expect(mine.get_by_role("button", name="Email me replies")).to_be_visible()
    assert page.errors == []
