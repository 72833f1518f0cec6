"""A link to one reply deep in the demo's 10,000-comment thread, in real Chromium.

``/c/<id>/`` and ``?c=<id>#c-<id>`` must open the page of the thread that holds the reply, with the
reply shown (even when it sits behind "Show more replies"), highlighted and scrolled into view.
The replies are found the way a reader would reach them, through the site's own pages and API.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from newsroom.demo.content import RELATED_ARTICLES
from tests.e2e.conftest import LONG_THREAD_COMMENTS

pytestmark = pytest.mark.browser

LONG_THREAD_SLUG = next(spec["slug"] for spec in RELATED_ARTICLES if spec.get("long_thread"))
REPLIES_SHOWN = 3  # the default number of replies shown under each top-level comment
HIGHLIGHT = "rgb(255, 244, 204)"  # .comment--focus in core/static/core/site.css
_REPLY = re.compile(r'<li class="comment comment--reply comment--depth-(\d+)[^"]*" id="c-(\d+)"')


def _long_thread_path(page: Page) -> str:
    page.goto("/")
    link = page.locator(f'.article-card__headline a[href$="/{LONG_THREAD_SLUG}/"]')
    return link.get_attribute("href")


def _api(page: Page, article_path: str, **params) -> dict:
    response = page.request.get("/api/v1/threads/comments", params={"url": article_path, **params})
    assert response.ok, response.text()
    return response.json()


def _hidden_deep_reply(page: Page, root_id: int) -> int:
    """The oldest reply under ``root_id`` that is nested (depth 2+) and not among the replies
    shown under it at first, read from the replies page a browser without JavaScript gets."""
    html = page.request.get(f"/discussion/comments/{root_id}/replies/").text()
    replies = [(int(depth), int(pk)) for depth, pk in _REPLY.findall(html)]
    hidden = [pk for depth, pk in replies[REPLIES_SHOWN:] if depth >= 2]
    assert hidden, f"comment {root_id} has no nested reply past the first {REPLIES_SHOWN}"
    return min(hidden)


@pytest.fixture(scope="module")
def targets(browser, live_site) -> dict[str, tuple[str, int]]:
    """Two replies: one of the thread's oldest, and one under a comment far down the thread."""
    context = browser.new_context(base_url=live_site.base_url)
    page = context.new_page()
    try:
        path = _long_thread_path(page)
        first = _api(page, path, limit=1)
        assert first["comment_count"] >= LONG_THREAD_COMMENTS >= 10_000
        oldest_root = first["comments"][0]
        busiest = _api(page, path, sort="replies", limit=20)["comments"]
        far_root = max(busiest, key=lambda comment: comment["id"])  # the newest busy one
        return {
            "oldest": (path, _hidden_deep_reply(page, oldest_root["id"])),
            "far down": (path, _hidden_deep_reply(page, far_root["id"])),
        }
    finally:
        context.close()


def _expect_opened_at(page: Page, article_path: str, reply_id: int) -> None:
    expect(page).to_have_url(re.compile(rf"{re.escape(article_path)}\?c={reply_id}#c-{reply_id}$"))
    reply = page.locator(f"#c-{reply_id}")
    expect(reply).to_be_visible()
    expect(reply).to_have_class(re.compile(r"\bcomment--focus\b"))
    expect(reply).to_be_in_viewport()
    expect(reply).to_be_focused()
    inner = reply.locator("> .comment__inner")
    expect(inner).to_have_css("background-color", HIGHLIGHT)
    # The browser went to the fragment: the reply is the :target a reader's Tab starts from.
    assert page.evaluate("document.querySelector(':target')?.id") == f"c-{reply_id}"
    # It sits under its top-level comment, in the list, as on the page that holds it.
    expect(page.locator(f"#comment-list > li.comment #c-{reply_id}")).to_have_count(1)
    assert page.errors == []


@pytest.mark.parametrize("which", ["oldest", "far down"])
def test_the_permalink_of_a_deep_reply_opens_its_page_highlighted(page: Page, targets, which):
    article_path, reply_id = targets[which]

    page.goto(f"/c/{reply_id}/")

    _expect_opened_at(page, article_path, reply_id)
    if which == "far down":  # not the thread's first page: the reader can go back to the start
        expect(page.get_by_role("link", name="Show the first comments")).to_be_visible()


@pytest.mark.parametrize("which", ["oldest", "far down"])
def test_a_link_with_c_and_a_fragment_opens_the_same_place(page: Page, targets, which):
    article_path, reply_id = targets[which]

    page.goto(f"{article_path}?c={reply_id}#c-{reply_id}")

    _expect_opened_at(page, article_path, reply_id)


def test_a_link_by_the_fragment_alone_opens_the_page_that_holds_the_reply(page: Page, targets):
    """``#c-<id>`` on the article's address, for a reply the first page does not show."""
    article_path, reply_id = targets["oldest"]

    page.goto(f"{article_path}#c-{reply_id}")

    _expect_opened_at(page, article_path, reply_id)
