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
