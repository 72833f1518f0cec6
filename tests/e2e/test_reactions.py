"""Recommending a comment in real Chromium: the count changes in place, without a reload."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    _free_port,
    _stop,
    _wait_until_answering,
    _watch_for_errors,
    start_granian,
)
from tests.e2e.helpers import new_tab

pytestmark = pytest.mark.browser


def test_with_javascript_recommend_counts_in_place_and_a_second_press_undoes_it(
    page: Page, live_site
):
    page.goto(live_site.reference_url)
    page.evaluate("window.__marker = 'same document'")
    comment = page.locator("#comment-list > li.comment").first
    button = comment.locator(".reaction__button").first
    expect(button).to_have_attribute("aria-pressed", "false")
    before = int(button.locator(".reaction__count").inner_text())

    button.click()

    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button.locator(".reaction__count")).to_have_text(str(before + 1))
    expect(page.locator("#discussion-status")).to_contain_text("Recommend")

    button.click()

    expect(button).to_have_attribute("aria-pressed", "false")
    expect(button.locator(".reaction__count")).to_have_text(str(before))
    assert page.evaluate("window.__marker") == "same document"
    assert page.errors == []


def test_without_javascript_recommend_posts_the_pages_one_form_and_comes_back_pressed(
    page_nojs: Page, live_site
):
    # Each Recommend button submits the thread's one shared form (its CSRF token) to its own
    # formaction, so the page carries one token instead of one per comment.
    page_nojs.goto(live_site.reference_url)
    comment_id = page_nojs.locator("#comment-list > li.comment").first.get_attribute("id")
    button = page_nojs.locator(f"#{comment_id} .reaction__button").first
    before = int(button.locator(".reaction__count").inner_text())

    button.click()

    page_nojs.wait_for_url(f"**#{comment_id}")
    pressed = page_nojs.locator(f"#{comment_id} .reaction__button").first
    expect(pressed).to_have_attribute("aria-pressed", "true")
    expect(pressed.locator(".reaction__count")).to_have_text(str(before + 1))

    pressed.click()  # and a second press takes it back

    expect(page_nojs.locator(f"#{comment_id} .reaction__button").first).to_have_attribute(
        "aria-pressed", "false"
    )


def test_recommend_keeps_the_keyboard_focus_on_the_button(page: Page, live_site):
    page.goto(live_site.reference_url)
    comment_id = page.locator("#comment-list > li.comment").first.get_attribute("id")
    button = page.locator(f"#{comment_id} .reaction__button").first
    button.focus()

    page.keyboard.press("Enter")

    pressed = page.locator(f"#{comment_id} .reaction__button").first
    expect(pressed).to_have_attribute("aria-pressed", "true")
    expect(pressed).to_be_focused()


@pytest.fixture(scope="module")
def one_a_second_url(live_site, tmp_path_factory) -> str:
    """The base URL of an app process of the live site that lets a reader recommend once a
    second (REACTION_RATE_LIMIT=1/s), so that a refusal, and the press allowed after it, come
    within a test's few seconds."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = dict(live_site.env, SITE_BASE_URL=url, REACTION_RATE_LIMIT="1/s")
    log = tmp_path_factory.mktemp("reaction-limit") / "granian.log"
    proc = start_granian(env, port, log)
    try:
        _wait_until_answering(url + "/", proc, log)
        yield url
    finally:
        _stop(proc)


def test_recommending_too_often_says_why_beside_the_button_which_works_once_the_limit_allows(
    browser, live_site, one_a_second_url
):
    # The refusal came back in place of the button: the reader had to reload the page to press
    # again. (Before that, as bare words there: no alert, and focus fell to the comment.)
    page = new_tab(browser, live_site)
    errors = _watch_for_errors(page)
    page.goto(one_a_second_url + urlsplit(live_site.reference_url).path)
    react_id = page.locator(
        "#comment-list > li.comment .reaction:has(.reaction__button)"
    ).last.get_attribute("id")
    holder = page.locator(f"#{react_id}")
    button = holder.locator(".reaction__button")
    # A guest's first press is counted against the address, the rest against their cookie: a
    # few presses in a row cross one a second (one more if a second turns meanwhile).
    for _ in range(8):
        was = button.get_attribute("aria-pressed")
        count = button.locator(".reaction__count").inner_text()
        button.focus()
        with page.expect_response(lambda response: "/react/" in response.url) as answer:
            page.keyboard.press("Enter")
        if answer.value.status == 429:
            break
        expect(button).not_to_have_attribute("aria-pressed", was)
        # htmx wires the new button up as it settles (and takes this class off): pressed before
        # then, the browser would send the form itself.
        expect(button).not_to_have_class(re.compile(r"\bhtmx-added\b"))
    assert answer.value.status == 429

    refused = holder.locator(".reaction__refused")
    expect(refused).to_have_attribute("role", "alert")
    # One press a second: the wait said is the second's rest, as Retry-After (it said "a minute").
    assert answer.value.headers["retry-after"] == "1"
    expect(refused).to_have_text(
        "You are reacting faster than this site allows; wait 1 second, then try again."
    )
    # The button is still there as it was, focused, and described by the message.
    expect(button).to_be_focused()
    expect(button).to_have_attribute("aria-pressed", was)
    expect(button.locator(".reaction__count")).to_have_text(count)
    expect(button).to_have_attribute("aria-describedby", refused.get_attribute("id"))
    expect(button).not_to_have_class(re.compile(r"\bhtmx-added\b"))

    page.wait_for_timeout(1100)  # the next second's window
    with page.expect_response(lambda response: "/react/" in response.url) as answer:
        page.keyboard.press("Enter")

    assert answer.value.status == 200
    expect(button).not_to_have_attribute("aria-pressed", was)
    expect(refused).to_have_count(0)
    # The refusal's own answer is a 429, which Chromium reports; nothing else went wrong.
    said = "the server responded with a status of 429"
    assert [error for error in errors if said not in error] == []


# The moment htmx has put the new button in the page, before it has settled it, the button is
# pressed again, as the second of two quick presses can be. A submit of the page's form that
# this would set off (the page reloading) is noted and held back, so that the test can tell.
_PRESS_AGAIN_AS_SOON_AS_SWAPPED = """
(id) => {
  document.getElementById("comment-actions").addEventListener("submit", (event) => {
    window.__formSubmitted = true;
    event.preventDefault();
  });
  document.addEventListener("htmx:afterSwap", () => {
    document.querySelector(`#${id} .reaction__button`).click();
    document.body.dataset.pressedAgain = "true";
  }, { once: true });
}
"""


def test_a_quick_second_press_of_recommend_undoes_it_in_place_without_reloading(
    page: Page, live_site
):
    page.goto(live_site.reference_url)
    reaction = page.locator("#comment-list > li.comment .reaction:has(.reaction__button)").nth(2)
    react_id = reaction.get_attribute("id")
    button = page.locator(f"#{react_id} .reaction__button")
    expect(button).to_have_attribute("aria-pressed", "false")
    before = button.locator(".reaction__count").inner_text()
    page.evaluate(_PRESS_AGAIN_AS_SOON_AS_SWAPPED, react_id)

    button.click()

    expect(page.locator("body")).to_have_attribute("data-pressed-again", "true")
    assert page.evaluate("window.__formSubmitted") is None
    expect(page.locator("#discussion-status")).to_contain_text("You took back your")
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(button.locator(".reaction__count")).to_have_text(before)
    assert page.errors == []
