"""A comment whose letters carry dozens of stacked accents ("Zalgo" text: each letter with marks
above and below it, a few hundred characters in all, well within the length limit) drew its
marks far above and below its own lines, over the comment's author and time and over the
comments around it: one reader could scrawl across a whole screen of other readers' words.
A comment's text is now drawn within its own box (less a small margin for ordinary accents),
however its letters are stacked; so is a display name made the same way, which drew over the
comment's words and the comment above."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.helpers import post_as_guest

pytestmark = pytest.mark.browser

# Thirty marks above each letter (combining grave, acute, circumflex, ...) and thirty below.
ABOVE = "".join(chr(0x0300 + n) for n in range(15)) * 2
BELOW = "".join(chr(0x0316 + n) for n in range(15)) * 2
STACKED = " ".join(f"{letter}{ABOVE}{BELOW}" for letter in "HELLO")
BAND = 80  # px looked at above and below the comment's box
GAP = 10  # px next to the box left out of it: the clip's margin (8 px) for ordinary accents


def _band_pixels(page: Page, box: dict, *, above: bool) -> bytes:
    top = box["y"] - GAP - BAND if above else box["y"] + box["height"] + GAP
    return page.screenshot(
        clip={"x": box["x"], "y": max(top, 0), "width": box["width"], "height": BAND}
    )


def _drawn_outside(page: Page, element: Locator) -> tuple[bool, bool]:
    """Whether ``element`` draws anything in the bands above and below its box: each band as
    shown, against the same band with the element's contents not drawn (its box kept)."""
    element.evaluate("element => element.scrollIntoView({block: 'center'})")
    box = element.bounding_box()
    assert box is not None
    shown = (_band_pixels(page, box, above=True), _band_pixels(page, box, above=False))
    element.evaluate("element => { element.style.visibility = 'hidden'; }")
    hidden = (_band_pixels(page, box, above=True), _band_pixels(page, box, above=False))
    element.evaluate("element => { element.style.visibility = ''; }")
    return shown[0] != hidden[0], shown[1] != hidden[1]


def test_stacked_marks_stay_within_the_comment(page: Page, live_site):
    page.goto(urlsplit(live_site.reference_url).path)
    form = page.locator("#comment-form")
    form.get_by_label("Enter comments here:").fill(f"{STACKED} and some plain words after.")
    form.get_by_label("Your display name").fill("Stacked Marks")
    form.get_by_role("button", name="Preview your comment").click()
    body = page.locator("#comment-form-preview .comment__body")
    expect(body).to_contain_text("plain words after")

    assert _drawn_outside(page, body) == (False, False)


def test_a_stacked_display_name_stays_on_its_line(page: Page, live_site):
    words = f"A plain comment {uuid.uuid4().hex[:8]} under a stacked name."
    post_as_guest(page, urlsplit(live_site.reference_url).path, words, f"Z{ABOVE}{BELOW}ed")
    mine = page.locator("li.comment", has_text=words)
    expect(mine).to_be_visible()
    meta = mine.locator(".comment__meta").first

    assert _drawn_outside(page, meta) == (False, False)
