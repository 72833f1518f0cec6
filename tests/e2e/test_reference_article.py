"""The reference article in real Chromium, against a real server, with and without JavaScript.

Each test uses its own made-up text, so tests that post comments never depend on one another.
"""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from newsroom.demo.content import AUTHORS, REFERENCE_ARTICLE, RELATED_ARTICLES
from tests.e2e.conftest import LONG_THREAD_COMMENTS

pytestmark = pytest.mark.browser

COMMENTS_PAGE_SIZE = 50  # the embedded default of COMMENTS_PAGE_SIZE, which the server runs with
LONG_THREAD_SLUG = next(spec["slug"] for spec in RELATED_ARTICLES if spec.get("long_thread"))
TOP_LEVEL = "#comment-list > li.comment"


def _unique(words: str) -> str:
    return f"{words} {uuid.uuid4().hex[:8]}"


def _path(url: str) -> str:
    return urlsplit(url).path


def _mark_this_page(page: Page) -> None:
    """A value that only survives while the browser stays on the same document."""
    page.evaluate("window.__marker = 'same document'")


def _still_same_page(page: Page) -> bool:
    return page.evaluate("window.__marker") == "same document"


def _fill_form(form, *, body: str, name: str) -> None:
    form.get_by_label("Enter comments here:").fill(body)
    form.get_by_label("Your display name").fill(name)


def _open_long_thread(page: Page) -> None:
    page.goto("/")
    page.locator(f'.article-card__headline a[href$="/{LONG_THREAD_SLUG}/"]').click()
    expect(page.locator(TOP_LEVEL)).to_have_count(COMMENTS_PAGE_SIZE)


# --- Reading -------------------------------------------------------------------------------


def test_home_page_lists_the_articles_with_comment_counts_and_opens_the_reference(
    page: Page, live_site
):
    page.goto("/")
    cards = page.locator(".article-card")
    # the reference article, the related stories and the live blog of the day
    expect(cards).to_have_count(len(RELATED_ARTICLES) + 2)
    for meta in cards.locator(".article-card__meta a").all():
        expect(meta).to_have_text(re.compile(r"^\d{1,3}(,\d{3})* comments?$"))
    long_card = cards.filter(has=page.locator(f'a[href$="/{LONG_THREAD_SLUG}/"]'))
    # The thread's count as the site holds it now: the demo's 10,000 and whatever other browser
    # tests have added since (test_reply_controls writes a long argument into this thread).
    long_path = long_card.locator(".article-card__headline a").get_attribute("href")
    thread = page.request.get("/api/v1/threads/comments", params={"url": long_path, "limit": 1})
    assert thread.ok, thread.text()
    count = thread.json()["comment_count"]
    assert count >= LONG_THREAD_COMMENTS
    expect(long_card.locator(".article-card__meta a")).to_have_text(
        f"{count:,} comments"  # grouped, as a reader writes it
    )

    cards.locator(f'.article-card__headline a[href="{_path(live_site.reference_url)}"]').click()

    expect(page).to_have_url(live_site.reference_url)
    expect(page.locator("h1")).to_have_text(REFERENCE_ARTICLE["headline"])


def test_reference_article_shows_every_part_of_a_news_page(page: Page, live_site):
    page.goto(live_site.reference_url)

    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("h1")).to_have_text(REFERENCE_ARTICLE["headline"])
    expect(page.locator(".article__standfirst")).to_have_text(REFERENCE_ARTICLE["standfirst"])
    figures = page.locator("figure")
    expect(figures).to_have_count(2)
    for figure in figures.all():
        expect(figure.locator("img")).to_have_attribute("alt", re.compile(r"\S"))
        expect(figure.locator("figcaption")).to_contain_text("CREDIT:")
    names = {author["slug"]: author["name"] for author in AUTHORS}
    for slug in REFERENCE_ARTICLE["authors"]:
        expect(page.locator(".byline")).to_contain_text(names[slug])
    expect(page.locator(".dateline time").first).to_have_attribute(
        "datetime", re.compile(r"^" + re.escape(REFERENCE_ARTICLE["first_published"][:16]))
    )
    paragraphs = [value for kind, value in REFERENCE_ARTICLE["body"] if kind == "paragraph"]
    expect(page.locator(".article__body")).to_contain_text(paragraphs[0])
    expect(page.locator(".article__body")).to_contain_text(paragraphs[-1])
    pull_quote = next(value for kind, value in REFERENCE_ARTICLE["body"] if kind == "pull_quote")
    expect(page.locator(".pull-quote")).to_have_attribute("aria-hidden", "true")
    expect(page.locator(".pull-quote")).to_have_text(pull_quote)
    comment_list = page.locator("#comment-list")
    assert comment_list.evaluate("el => el.tagName") == "OL"
    expect(comment_list.locator("> li.comment").first).to_be_visible()
    comment_box = page.get_by_label("Enter comments here:", exact=True)
    expect(comment_box).to_have_count(1)
    assert comment_box.evaluate("el => el.tagName") == "TEXTAREA"


# --- Posting with JavaScript ---------------------------------------------------------------


def test_with_javascript_a_comment_appears_in_place_without_a_reload(page: Page, live_site):
    page.goto(live_site.reference_url)
    _mark_this_page(page)
    text = _unique("Neutrality needs guarantees that bind in law.")

    _fill_form(page.locator("#comment-form"), body=text, name="Olena K.")
    page.get_by_role("button", name="Post comment").click()

    expect(page.locator(TOP_LEVEL, has_text=text)).to_be_visible()
    assert _still_same_page(page)
    expect(page.locator("#comment-form").get_by_label("Enter comments here:")).to_have_value("")
    # A new commenter's first comments wait for review, shown to them alone and marked so.
    expect(page.locator("#discussion-status")).to_have_text(
        "Your comment was saved and is waiting for review."
    )
    expect(page.locator(TOP_LEVEL, has_text=text)).to_contain_text("Awaiting review")
    assert page.errors == []


def test_the_page_reaches_the_browser_gzipped_and_its_form_posts_with_the_token_inside(
    page: Page, live_site
):
    page.goto(live_site.reference_url)
    response = page.goto(live_site.reference_url)

    assert response.headers["x-cache"] == "hit"
    assert response.headers["content-encoding"] == "gzip"
    assert int(response.headers["content-length"]) * 2 < len(response.body())
    text = _unique("Compressed pages still carry a working form.")
    _fill_form(page.locator("#comment-form"), body=text, name="Taras B.")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator(TOP_LEVEL, has_text=text)).to_be_visible()
    assert page.errors == []


def test_with_javascript_a_reply_form_opens_under_the_comment_and_the_reply_appears_there(
    page: Page, live_site
):
    page.goto(live_site.reference_url)
    _mark_this_page(page)
    parent = page.locator(TOP_LEVEL).first
    parent_id = parent.get_attribute("id").removeprefix("c-")
    text = _unique("The rear needs holding before anyone moves east.")

    parent.locator("> article .comment__reply").click()
    reply_form = page.locator(f"#reply-slot-{parent_id} form")
    expect(reply_form.get_by_role("heading")).to_have_text(re.compile(r"^Reply to "))
    expect(reply_form.get_by_label("Enter comments here:")).to_be_focused()
    _fill_form(reply_form, body=text, name="Mykola")
    reply_form.get_by_role("button", name="Post reply").click()

    expect(page.locator(f"#replies-{parent_id} > li.comment", has_text=text)).to_be_visible()
    assert _still_same_page(page)
    expect(page.locator(f"#reply-slot-{parent_id} form")).to_have_count(0)
    expect(page.locator("#discussion-status")).to_have_text(
        "Your reply was saved and is waiting for review."
    )
    assert page.errors == []


def test_pressing_reply_again_keeps_what_was_typed_in_the_open_reply_form(page: Page, live_site):
    page.goto(live_site.reference_url)
    _mark_this_page(page)
    parent = page.locator(TOP_LEVEL).first
    parent_id = parent.get_attribute("id").removeprefix("c-")
    reply = parent.locator("> article .comment__reply")
    reply.click()
    box = page.locator(f"#reply-slot-{parent_id} form").get_by_label("Enter comments here:")
    expect(box).to_be_focused()
    box.fill("Half a thought about the corridor")
    box.evaluate("box => { box.dataset.typedIn = 'yes'; }")  # this very box, not a new one
    asked = []
    page.on("request", lambda request: asked.append(request.url))

    reply.click()
    # A fetched form would have come back in well under this on the loopback (about 50 ms).
    page.wait_for_timeout(1500)

    assert not [url for url in asked if url.endswith("/reply/")]
    expect(page.locator(f"#reply-slot-{parent_id} textarea[data-typed-in='yes']")).to_have_value(
        "Half a thought about the corridor"
    )
    expect(box).to_be_focused()
    assert _still_same_page(page)


# --- Posting without JavaScript ------------------------------------------------------------


def test_without_javascript_a_comment_posts_and_shows_after_the_redirect(
    page_nojs: Page, live_site
):
    page = page_nojs
    page.goto(live_site.reference_url)
    text = _unique("Posted from a browser with scripts turned off.")

    _fill_form(page.locator("#comment-form"), body=text, name="Iryna")
    page.get_by_role("button", name="Post comment").click()

    expect(page).to_have_url(re.compile(r"\?c=(\d+)#c-\1$"))
    comment_id = re.search(r"\?c=(\d+)", page.url).group(1)
    expect(page.locator(f"#c-{comment_id}")).to_contain_text(text)
    expect(page.locator(f"#c-{comment_id}")).to_contain_text("Iryna")


def test_without_javascript_a_reply_link_opens_the_reply_form_and_the_reply_shows_under_its_parent(
    page_nojs: Page, live_site
):
    page = page_nojs
    page.goto(live_site.reference_url)
    parent = page.locator(TOP_LEVEL).first
    parent_id = parent.get_attribute("id").removeprefix("c-")
    parent_name = parent.locator("> article .comment__author").inner_text()
    text = _unique("Answering without any JavaScript at all.")

    parent.locator("> article .comment__reply").click()
    expect(page).to_have_url(re.compile(rf"\?reply_to={parent_id}#comment-form$"))
    form = page.locator("#comment-form")
    expect(form.get_by_role("heading")).to_have_text(f"Reply to {parent_name}")
    _fill_form(form, body=text, name="Bohdan")
    form.get_by_role("button", name="Post reply").click()

    expect(page).to_have_url(re.compile(r"\?c=(\d+)#c-\1$"))
    expect(page.locator(f"#replies-{parent_id} > li.comment", has_text=text)).to_be_visible()


# --- Bad input -----------------------------------------------------------------------------


def test_markup_typed_into_a_comment_is_shown_as_text_and_never_runs(page: Page, live_site):
    page.goto(live_site.reference_url)
    script = "<script>window.__pwned=1</script>"
    image = '<img src=x onerror="window.__pwned=1">'
    marker = _unique("markup test")

    _fill_form(page.locator("#comment-form"), body=f"{marker}\n\n{script}\n\n{image}", name="Eve")
    page.get_by_role("button", name="Post comment").click()
    posted = page.locator(TOP_LEVEL, has_text=marker)
    expect(posted).to_be_visible()
    page.reload()  # the whole page, rendered by the server, must be as safe as the fragment
    shown = page.locator(TOP_LEVEL, has_text=marker)

    body = shown.locator(".comment__body")
    expect(body).to_contain_text(script)
    expect(body).to_contain_text(image)
    expect(body.locator("script, img")).to_have_count(0)
    assert page.evaluate("typeof window.__pwned") == "undefined"


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_an_empty_comment_gets_an_error_beside_the_field_and_keeps_the_name(
    javascript: bool, page: Page, page_nojs: Page, live_site
):
    tab = page if javascript else page_nojs
    tab.goto(live_site.reference_url)
    if javascript:
        _mark_this_page(tab)

    _fill_form(tab.locator("#comment-form"), body="", name="Kateryna")
    tab.get_by_role("button", name="Post comment").click()

    form = tab.locator("#comment-form")
    error = form.locator("#comment-form-body-error")
    expect(error).to_be_visible()
    expect(error).to_have_text(re.compile(r"\w{3,}"))
    textarea = form.get_by_label("Enter comments here:")
    expect(textarea).to_have_attribute("aria-invalid", "true")
    expect(textarea).to_have_attribute("aria-describedby", re.compile(r"comment-form-body-error"))
    expect(form.get_by_label("Your display name")).to_have_value("Kateryna")
    if javascript:  # the refusal was swapped into the page, not a reload showing the form again
        assert _still_same_page(tab)


def test_with_javascript_focus_goes_to_the_field_a_refused_comment_must_fix(page: Page, live_site):
    page.goto(live_site.reference_url)

    _fill_form(page.locator("#comment-form"), body="", name="Kateryna")
    page.get_by_role("button", name="Post comment").click()

    expect(page.locator("#comment-form").get_by_label("Enter comments here:")).to_be_focused()


def test_with_javascript_focus_goes_to_the_comment_just_posted(page: Page, live_site):
    page.goto(live_site.reference_url)
    text = _unique("Guarantees are only as good as the guarantors.")

    _fill_form(page.locator("#comment-form"), body=text, name="Olena K.")
    page.get_by_role("button", name="Post comment").click()

    expect(page.locator(TOP_LEVEL, has_text=text)).to_be_focused()


# --- The long thread -----------------------------------------------------------------------


def test_with_javascript_show_more_comments_appends_the_next_page_in_place(page: Page):
    _open_long_thread(page)
    _mark_this_page(page)

    page.get_by_role("link", name="Show more comments").click()

    expect(page.locator("#discussion-status")).to_have_text(
        re.compile(r"^\d+ more comments? shown")
    )
    comments = page.locator(TOP_LEVEL)
    assert comments.count() > COMMENTS_PAGE_SIZE
    expect(comments.nth(COMMENTS_PAGE_SIZE)).to_have_attribute("value", str(COMMENTS_PAGE_SIZE + 1))
    assert _still_same_page(page)
    # Reading and Tab go on from the first comment that came, not from the top of the page.
    expect(comments.nth(COMMENTS_PAGE_SIZE)).to_be_focused()


def test_without_javascript_show_more_comments_opens_the_next_page(page_nojs: Page):
    page = page_nojs
    _open_long_thread(page)

    page.get_by_role("link", name="Show more comments").click()

    expect(page).to_have_url(re.compile(r"\?after=\d+#comments$"))
    expect(page.locator(TOP_LEVEL).first).to_have_attribute("value", str(COMMENTS_PAGE_SIZE + 1))


# --- Accessibility basics ------------------------------------------------------------------


def test_every_field_of_the_comment_form_has_an_accessible_name(page: Page, live_site):
    page.goto(live_site.reference_url)
    fields = page.locator("#comment-form").locator("textarea, input:not([type=hidden])")
    assert fields.count() >= 2
    for field in fields.all():
        expect(field).to_have_accessible_name(re.compile(r"\w"))
    expect(page.locator("#comment-form textarea")).to_have_accessible_name("Enter comments here:")


def test_reply_links_and_the_post_button_are_at_least_24_css_pixels(page: Page, live_site):
    page.goto(live_site.reference_url)
    targets = [
        *page.locator(".comment__reply").all(),
        page.get_by_role("button", name="Post comment"),
    ]
    assert len(targets) > 2
    for target in targets:
        box = target.bounding_box()
        assert box is not None and box["width"] >= 24 and box["height"] >= 24, (
            target.inner_text(),
            box,
        )


def test_the_first_tab_from_the_top_reaches_skip_to_content(page: Page, live_site):
    page.goto(live_site.reference_url)

    page.keyboard.press("Tab")

    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()


# --- The picture for the docs --------------------------------------------------------------


def test_screenshot_of_the_reference_article(page: Page, live_site, tmp_path: Path):
    """Saved to $BROADSHEET_SCREENSHOT_DIR/article-page.png when set (``make screenshot``)."""
    folder = Path(os.environ.get("BROADSHEET_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "article-page.png"
    page.goto(live_site.reference_url)
    # Lazy images below the fold load only once scrolled to; wait for every one of them.
    page.locator("img").last.scroll_into_view_if_needed()
    # A function, not an expression: Playwright evaluates an expression with eval, which the
    # site's Content-Security-Policy refuses (core.csp).
    page.wait_for_function(
        "() => [...document.images].every(img => img.complete && img.naturalWidth)"
    )
    page.evaluate("window.scrollTo(0, 0)")

    page.screenshot(path=str(target), full_page=True)

    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert target.stat().st_size > 50_000
