"""A live blog in real Chromium: an editor publishes an entry in the Wagtail admin, and a reader
who has the live blog open is offered it at once, through the page's live stream; the reader can
pause that with one toggle button."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, Route, expect

from newsroom.demo.live_blog import LIVE_BLOG
from tests.e2e.helpers import moderator_tab, new_tab

pytestmark = pytest.mark.browser

LIVE_BLOG_PATH = f"/{LIVE_BLOG['section']}/{LIVE_BLOG['slug']}/"


def test_an_entry_published_in_the_admin_is_offered_to_an_open_reader_behind_a_button(
    browser, live_site
):
    reader = new_tab(browser, live_site)
    reader.goto(LIVE_BLOG_PATH)
    expect(reader.locator("#live-updates")).to_have_attribute("data-state", "open")
    entries = reader.locator(".live-entries > article.live-entry")
    before = entries.count()
    page_id = re.search(
        r"/(\d+)/entries/", reader.locator("[data-live-blog]").get_attribute("data-live-url")
    ).group(1)

    editor = moderator_tab(browser, live_site)
    editor.goto(f"/admin/pages/{page_id}/edit/")
    total = editor.locator("input[name='entries-TOTAL_FORMS']")
    editor.get_by_role("button", name="Add Entry").click()
    new = int(total.input_value()) - 1
    editor.fill(f"#id_entries-{new}-headline", "Talks to resume in a fortnight")
    body = editor.locator(f"#inline_child_entries-{new}-panel-content .public-DraftEditor-content")
    expect(body).to_be_visible()
    body.click()
    editor.keyboard.type("Both delegations agreed to meet again.")
    expect(body).to_contain_text("Both delegations agreed to meet again.")
    # Draftail copies what was typed into the form's field a moment later, as an editor's
    # pause would let it.
    expect(editor.locator(f"#id_entries-{new}-body")).to_have_value(re.compile("Both delegations"))
    editor.get_by_role("button", name="More actions").click()
    editor.get_by_role("button", name="Publish").click()
    editor.wait_for_load_state()
    problems = editor.evaluate(
        "() => [...document.querySelectorAll('.w-field--error')]"
        ".map(f => (f.querySelector('[id]') || f).id + ': ' + f.textContent.trim().slice(0, 80))"
    )
    assert problems == [], problems
    expect(editor.locator(".messages")).to_contain_text("published")

    show = reader.locator("[data-live-show]")
    expect(show).to_have_text("Show 1 new update")
    expect(entries).to_have_count(before)  # nothing moves until the reader asks
    show.click()
    expect(entries).to_have_count(before + 1)
    expect(entries.first).to_contain_text("Talks to resume in a fortnight")


def _as_if_no_entry_were_seen(route: Route) -> None:
    """The live blog page with data-latest="0": the next "entries" event fetches every entry."""
    response = route.fetch()
    body = re.sub(r'data-latest="\d+"', 'data-latest="0"', response.text())
    route.fulfill(response=response, body=body)


def test_pause_is_a_toggle_whose_name_stays_and_whose_pressed_state_changes(page: Page):
    """WCAG 4.1.2: one name, "Pause live updates", and aria-pressed for whether it is on (it
    used to become "Resume live updates", pressed, which contradicts itself)."""
    page.route(f"**{LIVE_BLOG_PATH}", _as_if_no_entry_were_seen)
    page.goto(LIVE_BLOG_PATH)
    pause = page.locator("[data-live-pause]")
    show = page.locator("[data-live-show]")
    expect(pause).to_have_accessible_name("Pause live updates")
    expect(pause).to_have_attribute("aria-pressed", "false")
    drawn_off = pause.evaluate("b => getComputedStyle(b).backgroundColor")

    pause.click()

    expect(pause).to_have_attribute("aria-pressed", "true")
    expect(pause).to_have_accessible_name("Pause live updates")
    assert pause.evaluate("b => getComputedStyle(b).backgroundColor") != drawn_off
    # Paused, news of new entries fetches nothing.
    page.evaluate("document.dispatchEvent(new CustomEvent('broadsheet:entries'))")
    page.wait_for_timeout(500)
    expect(show).to_be_hidden()

    pause.click()

    expect(pause).to_have_attribute("aria-pressed", "false")
    expect(pause).to_have_accessible_name("Pause live updates")
    expect(pause).to_be_focused()
    # Resumed, what was missed while paused is offered.
    expect(show).to_have_text(re.compile(r"^Show \d+ new updates?$"))


def test_new_updates_held_back_are_said_by_a_status_region_drawn_with_the_page(page: Page):
    """WCAG 4.1.3: the only word of new entries was the Show button's own text, the button made a
    live region while hidden. A live region that appears with its words already in it is not
    announced, so a screen reader said nothing of the first new update. A status region drawn
    empty with the page says it, once for the whole batch."""
    page.route(f"**{LIVE_BLOG_PATH}", _as_if_no_entry_were_seen)
    page.goto(LIVE_BLOG_PATH)
    status = page.locator(".live-blog [role=status]")
    expect(status).to_have_count(1)
    expect(status).to_have_text("")

    page.evaluate("document.dispatchEvent(new CustomEvent('broadsheet:entries'))")

    expect(page.locator("[data-live-show]")).to_have_text(re.compile(r"^Show \d+ new updates$"))
    expect(status).to_have_text(
        re.compile(r"^\d+ new updates published\. Use the button above the updates to show them\.$")
    )
