"""A reader on a mid-range phone (360 x 740 CSS px, 3 screen pixels to each) on a slow mobile
network: what the article sends them, and whether the page holds still while the discussion
loads in pieces. The network is slowed through Chromium's own emulation (DevTools protocol), as
Lighthouse's "slow 4G" does; nothing here is timed, only what the page does at that speed."""

from __future__ import annotations

import html
import re

import pytest
from playwright.sync_api import Page, Route, expect

from newsroom.demo.content import RELATED_ARTICLES

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 13; Pixel 7a) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Mobile Safari/537.36"
)
# Lighthouse's "slow 4G", with a longer round trip: every answer the page waits for comes well
# after the half second in which Chromium counts a layout shift as the reader's own doing.
SLOW_NETWORK = {
    "offline": False,
    "latency": 900,  # ms
    "downloadThroughput": 1.6e6 / 8,  # bytes a second
    "uploadThroughput": 750e3 / 8,
}
LONG_THREAD_SLUG = next(spec["slug"] for spec in RELATED_ARTICLES if spec.get("long_thread"))
TOP_LEVEL = "#comment-list > li.comment"

# Each layout shift Chromium reports (the Layout Instability API that Cumulative Layout Shift is
# summed from), kept from the page's start.
_RECORD_LAYOUT_SHIFTS = """
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    window.__shifts.push({
      value: entry.value,
      byReader: entry.hadRecentInput,
      moved: entry.sources.map((s) => s.node ? `${s.node.nodeName}#${s.node.id}` : "?"),
    });
  }
}).observe({ type: "layout-shift", buffered: true });
"""


@pytest.fixture
def phone(browser, live_site) -> Page:
    context = browser.new_context(
        viewport=PHONE,
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
        user_agent=PHONE_UA,
        base_url=live_site.base_url,
    )
    context.set_default_timeout(20_000)
    context.add_init_script(_RECORD_LAYOUT_SHIFTS)
    tab = context.new_page()
    yield tab
    context.close()


def _slow_network(tab: Page) -> None:
    session = tab.context.new_cdp_session(tab)
    session.send("Network.enable")
    session.send("Network.emulateNetworkConditions", SLOW_NETWORK)


def _shifts_the_reader_did_not_cause(tab: Page) -> list[dict]:
    return [s for s in tab.evaluate("window.__shifts") if not s["byReader"] and s["value"] > 0]


def _downloaded_width(tab: Page, img) -> int:
    """The width in pixels of the picture file the browser chose for ``img`` (decoded here, as
    its name need not say)."""
    src = img.evaluate("img => img.currentSrc")
    return tab.evaluate(
        "async (src) => (await createImageBitmap(await (await fetch(src)).blob())).width", src
    )


def test_the_lead_picture_a_360_px_phone_downloads_is_at_most_800_px_wide(phone, live_site):
    phone.goto(live_site.reference_url)
    hero = phone.locator("figure.figure--hero img")
    expect(hero).to_have_js_property("complete", True)

    assert _downloaded_width(phone, hero) <= 800


def _open_long_thread(tab: Page) -> None:
    tab.goto("/")
    tab.goto(
        tab.locator(f'.article-card__headline a[href$="/{LONG_THREAD_SLUG}/"]').get_attribute(
            "href"
        )
    )
    expect(tab.locator(TOP_LEVEL).first).to_be_visible()


def test_show_more_comments_says_it_is_loading_and_the_form_below_does_not_jump(phone):
    _open_long_thread(phone)
    shown = phone.locator(TOP_LEVEL).count()
    more = phone.get_by_role("link", name="Show more comments")
    more.evaluate("link => link.scrollIntoView({block: 'center'})")
    expect(phone.locator("#comment-form")).to_be_in_viewport()  # what would jump
    _slow_network(phone)

    more.tap()

    expect(phone.get_by_text("Loading more comments…")).to_be_visible()
    expect(phone.locator(TOP_LEVEL).nth(shown)).to_be_visible()
    expect(phone.get_by_text("Loading more comments…")).to_be_hidden()
    assert _shifts_the_reader_did_not_cause(phone) == []


def _shift_total(tab: Page) -> float:
    return sum(s["value"] for s in _shifts_the_reader_did_not_cause(tab))


# Under the "good" Cumulative Layout Shift of a whole visit (0.1), with room for what else the
# visit does; a shift a reader sees is 0.1 to 0.4 at this size.
AT_MOST = 0.05


def _top(locator) -> float:
    return locator.evaluate("element => element.getBoundingClientRect().top")


def test_show_more_comments_holds_about_the_room_one_comment_needs_when_one_is_left(phone):
    _open_long_thread(phone)
    path = phone.url.split("#")[0]
    newest = phone.request.get(
        "/api/v1/threads/comments", params={"url": path, "sort": "newest", "limit": 52}
    ).json()["comments"]
    phone.goto(f"{path}?after={newest[-1]['id']}#comments")  # a page of 50, and one after it
    expect(phone.locator(TOP_LEVEL)).to_have_count(50)
    more = phone.get_by_role("link", name="Show more comments")
    more.evaluate("link => link.scrollIntoView({block: 'center'})")
    each = phone.locator("#comment-list").evaluate(
        "list => list.getBoundingClientRect().height / list.children.length"
    )
    below = phone.locator("#comment-form")
    before = _top(below)
    _slow_network(phone)

    more.tap()

    expect(phone.get_by_text("Loading more comments…")).to_be_visible()
    room = _top(below) - before
    expect(phone.locator(TOP_LEVEL).nth(50)).to_be_focused()  # it came
    # Held for one comment as tall as those shown, and half as much again (site.js), not for a
    # page of them: the whole screen, empty under the reader's eyes while it came.
    assert room <= 1.5 * each, (room, each)
    total = _shift_total(phone)
    assert total < AT_MOST, _shifts_the_reader_did_not_cause(phone)


@pytest.mark.parametrize(
    "control",
    [
        re.compile(r"^Show [1-3] more repl"),  # shorter than the screen below the button
        re.compile(r"^Show \d{2,} more replies"),  # a whole page of replies: taller than it
    ],
    ids=["a-few-replies", "a-page-of-replies"],
)
def test_show_n_more_replies_does_not_move_what_is_below_when_the_replies_come(phone, control):
    _open_long_thread(phone)
    more = phone.get_by_role("link", name=control).first
    holder = more.locator("xpath=..")
    replies = phone.locator("#" + holder.get_attribute("id").replace("replies-more-", "replies-"))
    shown = replies.locator(":scope > li.comment").count()
    more.evaluate("link => link.scrollIntoView({block: 'center'})")
    _slow_network(phone)

    more.tap()

    expect(replies.locator(":scope > li.comment").nth(shown)).to_be_focused()
    total = _shift_total(phone)
    assert total < AT_MOST, _shifts_the_reader_did_not_cause(phone)


def test_reply_opens_its_form_without_moving_what_is_below_when_the_form_comes(phone):
    _open_long_thread(phone)
    comment = phone.locator(TOP_LEVEL).nth(1)
    reply = comment.locator(":scope > article .comment__reply")
    reply.evaluate("link => link.scrollIntoView({block: 'center'})")
    _slow_network(phone)

    reply.tap()

    expect(comment.locator(":scope > article .reply-slot textarea")).to_be_focused()
    total = _shift_total(phone)
    assert total < AT_MOST, _shifts_the_reader_did_not_cause(phone)


def test_show_n_earlier_replies_does_not_move_what_is_below_when_the_replies_come(
    phone, long_argument
):
    root_id, last_id = long_argument
    phone.goto(f"/c/{last_id}/")  # the replies through the link's, after a gap of 57
    expect(phone.locator(f"#c-{last_id}")).to_be_focused()
    earlier = phone.get_by_role("link", name="Show 57 earlier replies")
    earlier.evaluate("link => link.scrollIntoView({block: 'center'})")
    _slow_network(phone)

    earlier.tap()

    # The first of them, in the place of the control (after the root's first three replies).
    expect(phone.locator(f"#replies-{root_id} > li").nth(3)).to_be_focused()
    total = _shift_total(phone)
    assert total < AT_MOST, _shifts_the_reader_did_not_cause(phone)


def test_report_opens_its_form_without_moving_what_is_below_when_the_form_comes(phone, live_site):
    phone.goto(live_site.reference_url)
    comment = phone.locator(TOP_LEVEL).nth(1)
    report = comment.locator(":scope > article .comment__report")
    report.evaluate("link => link.scrollIntoView({block: 'center'})")
    _slow_network(phone)

    report.tap()

    expect(comment.locator(":scope > article .report-form input[type=radio]").first).to_be_focused()
    total = _shift_total(phone)
    assert total < AT_MOST, _shifts_the_reader_did_not_cause(phone)


def _recommend_held(tab: Page, live_site) -> tuple:
    """The reference article on the phone, its second comment's Recommend button, that button's
    count, and the list its requests are held in (page.route) until the test lets them go."""
    held = []
    tab.route("**/react/", lambda route: held.append(route))
    tab.goto(live_site.reference_url)
    holder = tab.locator(TOP_LEVEL).nth(1).locator(".reaction").first
    button = holder.locator(".reaction__button")
    expect(button).to_have_attribute("aria-pressed", "false")
    # What the status region says, each time it changes (a screen reader says each).
    tab.evaluate(
        """() => {
          const region = document.getElementById("discussion-status");
          window.__said = [];
          new MutationObserver(() => window.__said.push(region.textContent)).observe(
            region, {childList: true, subtree: true, characterData: true});
        }"""
    )
    return holder, button, int(button.locator(".reaction__count").inner_text()), held


def _the_held_request(tab: Page, held: list) -> Route:
    """The Recommend request, once the browser has sent it (and Playwright has handed it over)."""
    for _ in range(500):
        if held:
            return held[0]
        tab.wait_for_timeout(20)  # Playwright delivers the route while the page waits
    pytest.fail("Recommend sent no request")


def test_recommend_shows_itself_pressed_with_the_new_count_before_the_answer_comes(
    phone, live_site
):
    holder, button, before, held = _recommend_held(phone, live_site)

    button.tap()

    _the_held_request(phone, held)  # on its way, and no answer yet
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button.locator(".reaction__count")).to_have_text(str(before + 1))


def test_recommend_is_said_as_it_is_pressed_and_not_again_when_the_answer_comes(phone, live_site):
    holder, button, before, held = _recommend_held(phone, live_site)
    button.focus()
    phone.keyboard.press("Enter")
    request = _the_held_request(phone, held)
    expect(phone.locator("#discussion-status")).to_have_text(
        re.compile(rf"^You chose Recommend for the comment by .+ Count: {before + 1}\.$")
    )
    button.evaluate("b => b.dataset.beforeTheAnswer = 'yes'")

    request.continue_()

    answered = holder.locator(".reaction__button:not([data-before-the-answer])")
    expect(answered).to_have_attribute("aria-pressed", "true")
    expect(answered.locator(".reaction__count")).to_have_text(str(before + 1))
    expect(answered).to_be_focused()
    assert len(phone.evaluate("window.__said")) == 1, phone.evaluate("window.__said")


def test_recommend_goes_back_as_it_was_when_the_answer_is_an_error(phone, live_site):
    holder, button, before, held = _recommend_held(phone, live_site)
    button.tap()
    request = _the_held_request(phone, held)
    expect(button).to_have_attribute("aria-pressed", "true")

    request.fulfill(status=500, body="Server Error")

    expect(phone.get_by_role("alert")).to_contain_text("Something went wrong on our side")
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(button.locator(".reaction__count")).to_have_text(str(before))
    expect(phone.locator("#discussion-status")).to_have_text("")


def _reworded(text: str) -> str:
    return text.replace("You chose ", "You have chosen ")


def _fulfilled_reworded(route: Route) -> str:
    """``route`` answered by the server, with the Recommend sentence reworded; the body sent."""
    response = route.fetch()
    body = _reworded(response.text())
    headers = {
        name: value
        for name, value in response.headers.items()
        if name.lower() not in ("content-length", "content-encoding")
    }
    route.fulfill(response=response, body=body, headers=headers)
    return body


def test_recommend_says_the_servers_own_words_at_the_tap_whatever_they_are(phone, live_site):
    """The sentence a Recommend says has one wording, the server's (_reaction_said.html), which
    the page guesses from before the answer comes: reworded here in all the server sends, as an
    edit of it would be, the words said at the tap are the new ones, and the answer's (the same)
    are not said again."""
    phone.route(lambda url: url == live_site.reference_url, _fulfilled_reworded)
    holder, button, before, held = _recommend_held(phone, live_site)
    button.focus()
    phone.keyboard.press("Enter")
    request = _the_held_request(phone, held)
    status = phone.locator("#discussion-status")
    expect(status).to_have_text(
        re.compile(rf"^You have chosen Recommend for the comment by .+ Count: {before + 1}\.$")
    )
    button.evaluate("b => b.dataset.beforeTheAnswer = 'yes'")

    answer = _fulfilled_reworded(request)

    answered = holder.locator(".reaction__button:not([data-before-the-answer])")
    expect(answered).to_have_attribute("aria-pressed", "true")
    said = re.search(r'<div id="discussion-status"[^>]*>(.*?)</div>', answer, re.S).group(1)
    expect(status).to_have_text(html.unescape(said))
    assert phone.evaluate("window.__said") == [html.unescape(said)]
