"""A reader's own profile page in real Chromium: the buttons of "Your account" (save the display
name, save the email choice, download my data, delete my account) stand apart, each a target of
at least 24 by 24 px (WCAG 2.5.8).

Signed in as the demo reader, whose password ``load_demo`` keeps in the site's var folder.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page

from accounts.services import DEMO_READER_EMAIL

pytestmark = pytest.mark.browser

# Buttons and links drawn as buttons, inside the page's content (the masthead's Sign out is not
# one of the page's own actions).
BUTTONS = "main button:visible, main .button:visible"
MIN_GAP = 8  # px between two buttons' edges, across or down; the site uses .5rem (9 px) and up


def _sign_in_as_the_demo_reader(page: Page, live_site) -> None:
    password = (Path(live_site.env["BROADSHEET_VAR_DIR"]) / "demo-reader-password").read_text()
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(DEMO_READER_EMAIL)
    page.locator("input[name=password]").fill(password.strip())
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/)"))


def _own_profile(page: Page) -> None:
    """From the masthead, as a reader finds it: their name links to their profile."""
    page.goto("/")
    page.get_by_role("navigation", name="Your account").locator(".masthead__who a").click()
    page.wait_for_url(re.compile(r"/readers/\d+/$"))


def _boxes(page: Page) -> list[tuple[str, dict]]:
    buttons = page.locator(BUTTONS)
    return [
        (buttons.nth(n).inner_text().strip(), buttons.nth(n).bounding_box())
        for n in range(buttons.count())
    ]


def _gap(a: dict, b: dict) -> float:
    """How far apart two boxes are: the larger of the horizontal and vertical gaps between them
    (negative when they overlap on both axes)."""
    across = max(b["x"] - (a["x"] + a["width"]), a["x"] - (b["x"] + b["width"]))
    down = max(b["y"] - (a["y"] + a["height"]), a["y"] - (b["y"] + b["height"]))
    return max(across, down)


def test_the_profile_page_buttons_stand_apart_and_are_big_enough_to_tap(page, live_site):
    _sign_in_as_the_demo_reader(page, live_site)
    _own_profile(page)

    boxes = _boxes(page)

    assert len(boxes) == 4, boxes
    too_small = [(name, box) for name, box in boxes if box["height"] < 24 or box["width"] < 24]
    assert too_small == []
    crowded = [
        (first, second, round(_gap(a, b), 1))
        for (first, a), (second, b) in itertools.combinations(boxes, 2)
        if _gap(a, b) < MIN_GAP
    ]
    assert crowded == []
