"""Wagtail's userbar on the site's pages, in real Chromium: an editor reading an article opens
its quick actions and goes from "Edit this page" to the article's edit form; the page, bar
included, still meets WCAG 2.2 AA and the site's Content-Security-Policy (the folder's
conftest.py fails a test during which Chromium reports a violation); and the bar, fixed in the
screen's corner, never hides the control an editor Tabs to in the thread (WCAG 2.4.11). Who gets
the bar, and that the page cache never keeps it: newsroom/tests/test_userbar.py."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.e2e.helpers import moderator_tab, new_tab
from tests.e2e.test_accessibility import WCAG_AA

pytestmark = pytest.mark.browser


def test_an_editor_goes_from_the_article_to_its_edit_form_through_the_userbar(browser, live_site):
    editor = moderator_tab(browser, live_site)
    editor.goto(live_site.reference_url)
    headline = editor.locator("h1").first.inner_text()

    editor.get_by_role("button", name="View Wagtail quick actions").click()
    editor.get_by_role("menuitem", name="Edit this page").click()

    expect(editor).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))
    expect(editor.locator("#id_title")).to_have_value(headline)


def test_the_article_with_the_userbar_open_breaks_no_wcag_aa_rule(browser, live_site):
    editor = moderator_tab(browser, live_site)
    editor.goto(live_site.reference_url)
    editor.get_by_role("button", name="View Wagtail quick actions").click()
    expect(editor.get_by_role("menuitem", name="Edit this page")).to_be_visible()

    found = Axe().run(editor, options=WCAG_AA).response["violations"]

    assert [
        f"{rule['id']}: {[node['target'] for node in rule['nodes'][:5]]}" for rule in found
    ] == []


def test_a_reader_gets_no_userbar(browser, live_site):
    reader = new_tab(browser, live_site)
    reader.goto(live_site.reference_url)
    expect(reader.locator("h1").first).to_be_visible()

    expect(reader.get_by_role("button", name="View Wagtail quick actions")).to_have_count(0)
    expect(reader.locator("wagtail-userbar")).to_have_count(0)


# The part of the focused control's box under the userbar's button (fixed in the screen's
# bottom right corner, in the bar's shadow root), as a fraction of the control's own area.
_UNDER_THE_BAR = """() => {
  const control = document.activeElement;
  const bar = document.querySelector("wagtail-userbar").shadowRoot
    .querySelector("#wagtail-userbar-trigger").getBoundingClientRect();
  const box = control.getBoundingClientRect();
  const width = Math.min(box.right, bar.right) - Math.max(box.left, bar.left);
  const height = Math.min(box.bottom, bar.bottom) - Math.max(box.top, bar.top);
  const covered = width > 0 && height > 0 ? width * height : 0;
  return {
    control: control.textContent.trim().replace(/\\s+/g, " ").slice(0, 40) || control.tagName,
    covered: box.width * box.height ? covered / (box.width * box.height) : 0,
    inThread: !!control.closest("#comments"),
  };
}"""


def test_on_a_phone_no_control_tab_reaches_in_the_thread_is_hidden_under_the_userbar(
    browser, live_site
):
    """WCAG 2.4.11: Tab scrolls each control just into view at the bottom of the screen, where
    the bar's button sits; on a 320 px screen a Reply link there was wholly under it."""
    editor = moderator_tab(browser, live_site)
    editor.set_viewport_size({"width": 320, "height": 640})
    editor.goto(live_site.reference_url)
    editor.locator(".comment-sort__option").first.focus()

    hidden = []
    for _ in range(300):
        editor.keyboard.press("Tab")
        seen = editor.evaluate(_UNDER_THE_BAR)
        if not seen["inThread"]:
            break
        if seen["covered"] >= 0.99:
            hidden.append(seen["control"])

    assert hidden == []
