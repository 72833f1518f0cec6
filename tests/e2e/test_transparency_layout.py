"""The transparency report's table in real Chromium: each count stands under its heading, right
aligned, so that a column of numbers reads down by its last digit."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

TEXT_RIGHT = """cell => {
  const range = document.createRange();
  range.selectNodeContents(cell);
  return range.getBoundingClientRect().right;
}"""


def test_the_counts_line_up_at_the_right_of_their_headings(page: Page, live_site):
    page.goto("/transparency/")
    table = page.locator("table.transparency")
    heading = table.get_by_role("columnheader", name="Automated")
    count = table.locator("tbody tr").first.locator("td").nth(1)
    expect(count).to_have_text(re.compile(r"^\d+$"))

    # Where the text ends, not the cell: every cell of a column ends at the same place.
    assert abs(count.evaluate(TEXT_RIGHT) - heading.evaluate(TEXT_RIGHT)) <= 1


def test_on_a_320_px_screen_the_report_does_not_widen_the_page(page: Page, live_site):
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto("/transparency/")
    expect(page.locator("table.transparency")).to_be_visible()

    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    # The table scrolls inside its own region, which a keyboard can reach and scroll.
    region = page.get_by_role("region", name="Moderation by month")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")
    region.focus()
    page.keyboard.press("ArrowRight")
    # Chromium animates a keyboard scroll, so the offset is read once it has moved, not at once.
    page.wait_for_function("el => el.scrollLeft > 0", arg=region.element_handle(), timeout=5000)


def test_on_a_desktop_screen_every_column_of_the_report_shows_without_scrolling(
    page: Page, live_site
):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/transparency/")
    region = page.get_by_role("region", name="Moderation by month")
    last = page.locator("table.transparency").get_by_role("columnheader", name="Reversed on appeal")
    expect(last).to_be_visible()

    assert region.evaluate("el => el.scrollWidth <= el.clientWidth")
    box = last.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 1280
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
