"""Recommending a comment in real Chromium: the count changes in place, without a reload."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

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


def test_recommending_too_often_is_refused_by_an_alert_where_the_button_was(page: Page, live_site):
    # The rate limit's refusal came back as bare words in the button's place: no alert, so
    # nothing was announced, and focus fell from the pressed button to the comment around it.
    page.goto(live_site.reference_url)
    comment_id = page.locator("#comment-list > li.comment").last.get_attribute("id")
    holder = page.locator(f"#{comment_id} .reaction").first
    button = holder.locator(".reaction__button")
    # REACTION_RATE_LIMIT allows 30 a minute: 61 presses cross it even if a minute turns.
    for _ in range(61):
        was = button.get_attribute("aria-pressed")
        button.focus()
        with page.expect_response(lambda response: "/react/" in response.url) as answer:
            page.keyboard.press("Enter")
        if answer.value.status == 429:
            break
        expect(button).not_to_have_attribute("aria-pressed", was)
        # htmx wires the new button up as it settles (and takes this class off): pressed before
        # then, the browser would send the form itself.
        expect(button).not_to_have_class(re.compile(r"\bhtmx-added\b"))

    refused = holder.locator(".reaction__refused")
    expect(refused).to_have_attribute("role", "alert")
    expect(refused).to_have_text(
        "You are reacting faster than this site allows; wait a minute, then try again."
    )
    expect(holder.locator(":focus")).to_have_count(1)
    # The refusal's own answer is a 429, which Chromium reports; nothing else went wrong.
    refused = "the server responded with a status of 429"
    assert [error for error in page.errors if refused not in error] == []


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
