"""The live blog as a reader sees it, in real Chromium: its controls are the site's buttons (at
least 24 px tall), and each entry is set off from the next."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, Route, expect

from newsroom.demo.live_blog import LIVE_BLOG

pytestmark = pytest.mark.browser

LIVE_BLOG_PATH = f"/{LIVE_BLOG['section']}/{LIVE_BLOG['slug']}/"


def _as_if_every_entry_were_new(route: Route) -> None:
    """The live blog page, told that the reader has seen no entry yet: the next "entries"
    event then offers every entry behind the "Show new updates" button."""
    response = route.fetch()
    body = re.sub(r'data-latest="\d+"', 'data-latest="0"', response.text())
    route.fulfill(response=response, body=body)


def test_the_pause_and_show_new_buttons_are_at_least_24_px_tall(page: Page):
    page.route(f"**{LIVE_BLOG_PATH}", _as_if_every_entry_were_new)
    page.goto(LIVE_BLOG_PATH)
    pause = page.get_by_role("button", name="Pause live updates")
    expect(pause).to_be_visible()
    page.evaluate("document.dispatchEvent(new CustomEvent('broadsheet:entries'))")
    show = page.locator("[data-live-show]")
    expect(show).to_have_text(re.compile(r"^Show \d+ new updates?$"))

    heights = {"pause": pause.bounding_box()["height"], "show": show.bounding_box()["height"]}

    assert min(heights.values()) >= 24, heights


def test_each_entry_is_set_off_from_the_next_by_a_rule_and_a_gap(page: Page):
    page.goto(LIVE_BLOG_PATH)
    entries = page.locator(".live-entries > article.live-entry")
    expect(entries.nth(1)).to_be_visible()

    rule = entries.first.evaluate(
        "e => { const s = getComputedStyle(e);"
        " return [s.borderBottomStyle, parseFloat(s.borderBottomWidth)]; }"
    )
    first_text = entries.first.locator(".live-entry__body").bounding_box()
    second_head = entries.nth(1).locator(".live-entry__header").bounding_box()

    assert rule[0] != "none" and rule[1] >= 1, rule
    assert second_head["y"] - (first_text["y"] + first_text["height"]) >= 16


def test_an_entrys_time_and_author_read_like_a_comments_meta_line(page: Page):
    page.goto(LIVE_BLOG_PATH)
    # An entry with a byline: other tests publish entries of their own, without one, on top.
    entry = page.locator(".live-entries > article.live-entry:has(.live-entry__author a)").first

    parts = {"time": ".live-entry__time", "author": ".live-entry__author a"}
    styles = {
        name: entry.locator(selector).evaluate(
            "e => { const s = getComputedStyle(e);"
            " return [s.fontFamily.split(',')[0], s.textDecorationLine]; }"
        )
        for name, selector in parts.items()
    }
    comment_meta_font = page.locator(".discussion").evaluate(
        "e => getComputedStyle(e).fontFamily.split(',')[0]"
    )

    assert styles == {"time": [comment_meta_font, "none"], "author": [comment_meta_font, "none"]}
