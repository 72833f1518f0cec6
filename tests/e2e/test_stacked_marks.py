"""A comment whose letters carry dozens of stacked accents ("Zalgo" text: each letter with marks
above and below it, a few hundred characters in all, well within the length limit) drew its
marks far above and below its own lines, over the comment's author and time and over the
comments around it: one reader could scrawl across a whole screen of other readers' words.
A comment's text is now drawn within its own box (less a small margin for ordinary accents),
however its letters are stacked."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

# Thirty marks above each letter (combining grave, acute, circumflex, ...) and thirty below.
ABOVE = "".join(chr(0x0300 + n) for n in range(15)) * 2
BELOW = "".join(chr(0x0316 + n) for n in range(15)) * 2
STACKED = " ".join(f"{letter}{ABOVE}{BELOW}" for letter in "HELLO")
BAND = 80  # px looked at above and below the comment's box
GAP = 8  # px next to the box left out of it: the clip's margin for ordinary accents


def _band_pixels(page: Page, box: dict, *, above: bool) -> bytes:
    top = box["y"] - GAP - BAND if above else box["y"] + box["height"] + GAP
    return page.screenshot(
        clip={"x": box["x"], "y": max(top, 0), "width": box["width"], "height": BAND}
    )


def test_stacked_marks_stay_within_the_comment(page: Page, live_site):
    page.goto(urlsplit(live_site.reference_url).path)
    form = page.locator("#comment-form")
    form.get_by_label("Enter comments here:").fill(f"{STACKED} and some plain words after.")
    form.get_by_label("Your display name").fill("Stacked Marks")
    form.get_by_role("button", name="Preview your comment").click()
    body = page.locator("#comment-form-preview .comment__body")
    expect(body).to_contain_text("plain words after")
    body.evaluate("element => element.scrollIntoView({block: 'center'})")
    box = body.bounding_box()
    assert box is not None

    with_text = (_band_pixels(page, box, above=True), _band_pixels(page, box, above=False))
    # The same bands with the comment's text not drawn (its box kept): what is there without it.
    body.evaluate("element => { element.style.visibility = 'hidden'; }")
    without_text = (_band_pixels(page, box, above=True), _band_pixels(page, box, above=False))

    assert with_text[0] == without_text[0], "marks were drawn above the comment's box"
    assert with_text[1] == without_text[1], "marks were drawn below the comment's box"
