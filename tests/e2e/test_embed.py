"""The embed in real Chromium: another site's page shows an article's comments in a frame that
is as tall as its content, live, with joining in opening the article in a new tab.

The partner page is served from http://localhost:<port>, another site than the Broadsheet at
http://127.0.0.1:<port> (browsers treat the two names as different sites), so the frame is
cross-site as on a real partner's page: none of the reader's Broadsheet cookies reach it.
"""

from __future__ import annotations

import http.server
import json
import threading
import time
import urllib.request
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import _free_port, _stop, _wait_until_answering, start_granian
from tests.e2e.helpers import new_tab

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def embed_site(live_site, tmp_path_factory) -> str:
    """The site's address for the embed and for the reader who comments meanwhile: one app
    process, so its live events reach the frame on the embedded default too (in-process
    fan-out), and one that publishes a new reader's first comment at once."""
    env = dict(live_site.env, MODERATION_TRUST_FIRST_COMMENTS="0")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("embed-logs") / "app.log"
    proc = start_granian(dict(env, SITE_BASE_URL=url), port, log)
    try:
        _wait_until_answering(url + "/", proc, log)
        yield url
    finally:
        _stop(proc)


def _article_id(site: str, live_site) -> int:
    path = urlsplit(live_site.reference_url).path
    url = f"{site}/api/v1/threads/comments?url={path}&limit=1"
    with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - loopback
        return json.load(answer)["article_id"]


@contextmanager
def _partner_site(article_id: int, script_src: str):
    """A partner's article page on another site, embedding an article's comments with the
    script at ``script_src``: yields the page's address."""
    html = (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Partner</title></head>"
        "<body><h1>A partner's story</h1><p>Readers discuss it on the newspaper's site.</p>"
        f"<div data-broadsheet-article='{article_id}'></div>"
        f"<script src='{script_src}' async></script></body></html>"
    ).encode()

    class Partner(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Partner)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://localhost:{server.server_address[1]}/story"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def partner_page(live_site, embed_site):
    """A partner's article page on another site, embedding the reference article's comments."""
    script = f"{embed_site}/static/api/embed.js"
    with _partner_site(_article_id(embed_site, live_site), script) as url:
        yield url


def test_a_partner_page_shows_the_comments_whole_and_live(
    browser, live_site, embed_site, partner_page
):
    partner = new_tab(browser, live_site)
    partner.goto(partner_page)
    frame_element = partner.locator('iframe[title="Readers\' comments"]')
    frame = partner.frame_locator('iframe[title="Readers\' comments"]')
    expect(frame.locator("#comment-list > li.comment").first).to_be_visible()
    expect(frame.locator("#live-updates")).to_have_attribute("data-state", "open")
    # The frame grew to its content: the whole first page of comments, no scrolling inside.
    expect(frame_element).not_to_have_css("height", "200px")
    frame_height = frame_element.bounding_box()["height"]
    content_height = frame.locator("body").evaluate("b => b.scrollHeight")
    assert frame_height >= content_height > 1000

    writer = new_tab(browser, live_site)
    writer.goto(embed_site + urlsplit(live_site.reference_url).path)
    text = f"Seen on the partner's page {time.time_ns()}"
    writer.fill("#comment-form-body", text)
    writer.fill("#comment-form-name", "Embed Writer")
    writer.get_by_role("button", name="Post comment").click()
    expect(writer.locator("#discussion-status")).to_contain_text("Your comment was posted")

    button = frame.locator("#live-updates-show")
    expect(button).to_have_text("1 new comment \u2014 show", timeout=2_000)
    button.click()
    expect(frame.locator("#comment-list > li.comment").first).to_contain_text(text)


def test_new_comments_shown_from_another_order_are_drawn_newest_first(
    browser, live_site, embed_site, partner_page
):
    """A reader who switched the frame to "Oldest first" (or paged on) and presses the new
    comments button sees them: the frame draws its first page newest first, where they are,
    not its own page again, which does not hold them."""
    partner = new_tab(browser, live_site)
    partner.goto(partner_page)
    frame = partner.frame_locator('iframe[title="Readers\' comments"]')
    frame.get_by_role("link", name="Oldest first").click()
    expect(frame.locator('.comment-sort__option[aria-current="true"]')).to_have_text("Oldest first")
    expect(frame.locator("#live-updates")).to_have_attribute("data-state", "open")

    writer = new_tab(browser, live_site)
    writer.goto(embed_site + urlsplit(live_site.reference_url).path)
    text = f"Posted while the partner's reader read oldest first {time.time_ns()}"
    writer.fill("#comment-form-body", text)
    writer.fill("#comment-form-name", "Embed Writer")
    writer.get_by_role("button", name="Post comment").click()
    expect(writer.locator("#discussion-status")).to_contain_text("Your comment was posted")

    button = frame.locator("#live-updates-show")
    expect(button).to_have_text("1 new comment \u2014 show", timeout=2_000)
    button.click()
    expect(frame.locator("#comment-list > li.comment").first).to_contain_text(text)
    expect(frame.locator('.comment-sort__option[aria-current="true"]')).to_have_text("Newest first")


def test_a_holder_further_down_than_the_script_gets_its_frame(browser, live_site, embed_site):
    """The script in the page's head (as a site puts its scripts), and the holder further down a
    page that arrives slowly, as a long partner page does: the script, run as soon as it came,
    found no holder yet and left the place empty."""
    path = urlsplit(live_site.reference_url).path
    url = f"{embed_site}/api/v1/threads/comments?url={path}&limit=1"
    with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - loopback
        article_id = json.load(answer)["article_id"]

    class SlowPartner(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            head = (
                "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Partner"
                f"</title><script src='{embed_site}/static/api/embed.js' async></script>"
                "</head><body><h1>A partner's story</h1>"
            )
            self.wfile.write(head.encode() + b" " * 4096)
            self.wfile.flush()
            time.sleep(1.5)
            self.wfile.write(f"<div data-broadsheet-article='{article_id}'></div>".encode())
            self.wfile.write(b"</body></html>")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), SlowPartner)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        partner = new_tab(browser, live_site)
        partner.goto(f"http://localhost:{server.server_address[1]}/story")
        frame = partner.frame_locator('iframe[title="Readers\' comments"]')
        expect(frame.locator("#comment-list > li.comment").first).to_be_visible()
    finally:
        server.shutdown()
        server.server_close()


def test_joining_in_opens_the_article_in_a_new_tab(browser, live_site, embed_site, partner_page):
    partner = new_tab(browser, live_site)
    partner.goto(partner_page)
    frame = partner.frame_locator('iframe[title="Readers\' comments"]')
    join = frame.get_by_role("link", name="Join the discussion")

    with partner.context.expect_page() as opened:
        join.click()

    article = opened.value
    article.wait_for_load_state()
    assert article.url == embed_site + urlsplit(live_site.reference_url).path + "#comment-form"
    expect(article.locator("#comment-form-body")).to_be_visible()
    assert partner.url == partner_page


def test_the_embed_breaks_no_wcag_aa_rule(browser, live_site, partner_page):
    from tests.e2e.test_accessibility import _violations

    partner = new_tab(browser, live_site)
    partner.goto(partner_page)
    frame_src = partner.locator("iframe").get_attribute("src")
    embed = new_tab(browser, live_site)
    embed.goto(frame_src)
    expect(embed.locator("#comment-list > li.comment").first).to_be_visible()

    assert _violations(embed) == []


def test_a_site_under_a_path_prefix_is_framed_under_it(browser, live_site, tmp_path_factory):
    """The site at http://127.0.0.1:<port>/news/ (docs/deploy.md, "Under a path prefix"): the
    script, loaded from /news/static/api/embed.js, frames /news/embed/articles/<id>/, the only
    part of the host a proxy at /news/ passes on to the site, where it framed /embed/... at the
    host's root."""
    port = _free_port()
    site = f"http://127.0.0.1:{port}/news"
    env = dict(live_site.env, GRANIAN_URL_PATH_PREFIX="/news", SITE_BASE_URL=site)
    log = tmp_path_factory.mktemp("embed-prefix-logs") / "app.log"
    proc = start_granian(env, port, log)
    try:
        _wait_until_answering(site + "/", proc, log)
        article_id = _article_id(site, live_site)
        with _partner_site(article_id, f"{site}/static/api/embed.js") as page:
            partner = new_tab(browser, live_site)
            partner.goto(page)
            frame = partner.frame_locator('iframe[title="Readers\' comments"]')
            expect(frame.locator("#comment-list > li.comment").first).to_be_visible()
            src = partner.locator("iframe").get_attribute("src")
            assert src == f"{site}/embed/articles/{article_id}/"
    finally:
        _stop(proc)


@contextmanager
def _page_server(html: str, port: int = 0):
    """A page of another site, at http://localhost:<port>/story (``port`` 0: any free one)."""
    body = html.encode()

    class Host(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Host)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://localhost:{server.server_address[1]}/story"
    finally:
        server.shutdown()
        server.server_close()


def _listening_partner(article_id: int, script_src: str) -> str:
    """A partner page that keeps every message its window hears, as a curious partner could."""
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Partner</title>"
        "<script>window.heard = []; window.addEventListener('message', function (e) {"
        " window.heard.push({origin: e.origin, data: e.data}); });</script></head>"
        f"<body><h1>A partner's story</h1><div data-broadsheet-article='{article_id}'></div>"
        f"<script src='{script_src}' async></script></body></html>"
    )


def test_the_partner_page_cannot_read_the_frame_and_hears_only_its_height(
    browser, live_site, embed_site
):
    article_id = _article_id(embed_site, live_site)
    html = _listening_partner(article_id, f"{embed_site}/static/api/embed.js")
    with _page_server(html) as url:
        partner = new_tab(browser, live_site)
        partner.goto(url)
        frame = partner.frame_locator('iframe[title="Readers\' comments"]')
        expect(frame.locator("#comment-list > li.comment").first).to_be_visible()
        partner.wait_for_function("window.heard.length > 0")

        read = partner.evaluate(
            """() => { try { return document.querySelector('iframe').contentWindow.document
                         .body.innerHTML; } catch (e) { return 'refused: ' + e.name; } }"""
        )
        heard = partner.evaluate("window.heard")

    assert read == "refused: SecurityError"
    assert partner.locator("iframe").evaluate("f => f.contentDocument") is None
    assert heard and all(
        message["origin"] == embed_site
        and set(message["data"]) == {"broadsheet", "height"}
        and message["data"]["broadsheet"] == "embed-height"
        for message in heard
    )


def test_a_height_from_anyone_but_the_frame_is_ignored(browser, live_site, embed_site):
    """The partner's own scripts (or another frame on its page) posting the frame's message do
    not size it: only messages from the embed's site and its own frame count."""
    article_id = _article_id(embed_site, live_site)
    html = _listening_partner(article_id, f"{embed_site}/static/api/embed.js")
    with _page_server(html) as url:
        partner = new_tab(browser, live_site)
        partner.goto(url)
        frame_element = partner.locator('iframe[title="Readers\' comments"]')
        frame = partner.frame_locator('iframe[title="Readers\' comments"]')
        expect(frame.locator("#comment-list > li.comment").first).to_be_visible()
        expect(frame_element).not_to_have_css("height", "200px")
        height = frame_element.bounding_box()["height"]

        partner.evaluate("window.postMessage({broadsheet: 'embed-height', height: 7}, '*')")
        partner.wait_for_function("window.heard.some(m => m.data.height === 7)")

        assert frame_element.bounding_box()["height"] == height


def test_a_readers_cookies_for_the_site_do_not_reach_a_partners_frame(
    browser, live_site, embed_site
):
    """A guest who commented on the article has the site's cookies (the guest's, the CSRF
    token); in a partner's frame the browser sends none of them (SameSite=Lax, a cross-site
    frame), so the frame is the anonymous one and offers no Edit on the guest's comment."""
    article_id = _article_id(embed_site, live_site)
    html = _listening_partner(article_id, f"{embed_site}/static/api/embed.js")
    writer = new_tab(browser, live_site)
    writer.goto(embed_site + urlsplit(live_site.reference_url).path)
    text = f"Mine, and only mine to edit {time.time_ns()}"
    writer.fill("#comment-form-body", text)
    writer.fill("#comment-form-name", "Embed Guest")
    writer.get_by_role("button", name="Post comment").click()
    expect(writer.locator("#discussion-status")).to_contain_text("Your comment was posted")
    cookies = {cookie["name"] for cookie in writer.context.cookies(embed_site)}
    assert {"csrftoken", "broadsheet_guest"} <= cookies

    sent: list[dict] = []
    partner = writer.context.new_page()  # the same reader, the same cookies
    partner.on(
        "request",
        lambda request: (
            sent.append(request.all_headers()) if "/embed/articles/" in request.url else None
        ),
    )
    with _page_server(html) as url:
        partner.goto(url)
        frame = partner.frame_locator('iframe[title="Readers\' comments"]')
        mine = frame.locator("#comment-list > li.comment", has_text=text)
        expect(mine).to_be_visible()

        assert sent and all("cookie" not in headers for headers in sent)
        expect(mine.get_by_role("link", name="Edit")).to_have_count(0)
        expect(mine.get_by_role("button", name="Edit")).to_have_count(0)


def _frame_refused(page, seconds: float = 10) -> None:
    """Wait until the page's frame shows Chromium's refusal (its error page), or fail."""
    deadline = time.monotonic() + seconds
    while not (len(page.frames) > 1 and page.frames[1].url.startswith("chrome-error://")):
        assert time.monotonic() < deadline, [frame.url for frame in page.frames]
        page.wait_for_timeout(50)


def test_only_the_sites_embed_frame_ancestors_lists_may_show_it(
    browser, live_site, tmp_path_factory
):
    """EMBED_FRAME_ANCESTORS as Chromium reads it: a listed partner shows the comments, an
    unlisted one gets nothing in its frame; and the article page itself refuses every frame."""
    listed_port = _free_port()
    port = _free_port()
    site = f"http://127.0.0.1:{port}"
    env = dict(
        live_site.env, SITE_BASE_URL=site, EMBED_FRAME_ANCESTORS=f"http://localhost:{listed_port}"
    )
    log = tmp_path_factory.mktemp("embed-ancestors-logs") / "app.log"
    proc = start_granian(env, port, log)
    try:
        _wait_until_answering(site + "/", proc, log)
        article_id = _article_id(site, live_site)
        html = _listening_partner(article_id, f"{site}/static/api/embed.js")
        with _page_server(html, listed_port) as listed, _page_server(html) as unlisted:
            shown = new_tab(browser, live_site)
            shown.goto(listed)
            listed_frame = shown.frame_locator('iframe[title="Readers\' comments"]')
            expect(listed_frame.locator("#comment-list > li.comment").first).to_be_visible()

            refused = new_tab(browser, live_site)
            refused.goto(unlisted)
            refused.wait_for_function(
                "document.querySelector('iframe') && window.performance"
                ".getEntriesByType('resource').some(e => e.name.includes('/embed/articles/'))"
            )
            _frame_refused(refused)
            assert refused.evaluate("window.heard") == []

        article = f"{site}{urlsplit(live_site.reference_url).path}"
        framing_the_article = (
            "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Framer</title>"
            f"</head><body><iframe title='The article' src='{article}'></iframe></body></html>"
        )
        with _page_server(framing_the_article, listed_port) as framer:
            tab = new_tab(browser, live_site)
            tab.goto(framer)
            _frame_refused(tab)
    finally:
        _stop(proc)
    # Chromium said so on the console, as it should; those two refusals are the test's point.
    refusals = [text for text in browser.csp_violations if "frame-ancestors" in text]
    assert refusals
    browser.csp_violations[:] = [t for t in browser.csp_violations if t not in refusals]


def test_the_frame_grows_with_its_content_once_it_has_loaded(
    browser, live_site, embed_site, partner_page
):
    """The frame tells the partner's page its height whenever its content's changes, not only
    when it loads: new comments shown in it make it taller, still whole, with no scrollbar of
    its own."""
    partner = new_tab(browser, live_site)
    partner.goto(partner_page)
    frame_element = partner.locator('iframe[title="Readers\' comments"]')
    frame = partner.frame_locator('iframe[title="Readers\' comments"]')
    expect(frame.locator("#live-updates")).to_have_attribute("data-state", "open")
    expect(frame_element).not_to_have_css("height", "200px")
    before = frame_element.bounding_box()["height"]

    writer = new_tab(browser, live_site)
    writer.goto(embed_site + urlsplit(live_site.reference_url).path)
    text = "\n\n".join(f"Paragraph {n} of a long answer {time.time_ns()}." for n in range(8))
    writer.fill("#comment-form-body", text)
    writer.fill("#comment-form-name", "Embed Writer")
    writer.get_by_role("button", name="Post comment").click()
    expect(writer.locator("#discussion-status")).to_contain_text("Your comment was posted")
    frame.locator("#live-updates-show").click()
    expect(frame.locator("#comment-list > li.comment").first).to_contain_text("Paragraph 7")

    partner.wait_for_function(
        "h => document.querySelector('iframe').getBoundingClientRect().height > h + 200",
        arg=before,
    )
    content = frame.locator("html").evaluate("h => h.scrollHeight")
    assert frame_element.bounding_box()["height"] >= content


def test_a_guest_who_joins_in_from_the_frame_posts_and_recommends_on_the_article(
    browser, live_site, embed_site, partner_page
):
    """The frame only reads; "Join the discussion" opens the article, first-party, in a new tab,
    where the guest's cookies and CSRF token work as on any visit: they post, recommend, and the
    frame on the partner's page shows the comment."""
    partner = new_tab(browser, live_site)
    partner.goto(partner_page)
    frame = partner.frame_locator('iframe[title="Readers\' comments"]')
    expect(frame.locator("#live-updates")).to_have_attribute("data-state", "open")
    with partner.context.expect_page() as opened:
        frame.get_by_role("link", name="Join the discussion").click()
    article = opened.value
    article.wait_for_load_state()

    text = f"Joined in from a partner's page {time.time_ns()}"
    article.fill("#comment-form-body", text)
    article.fill("#comment-form-name", "Partner Reader")
    article.get_by_role("button", name="Post comment").click()
    expect(article.locator("#discussion-status")).to_contain_text("Your comment was posted")
    others = article.locator("#comment-list > li.comment").filter(has_not_text=text)
    button = others.first.locator(".reaction__button").first
    before = int(button.locator(".reaction__count").inner_text())
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button.locator(".reaction__count")).to_have_text(str(before + 1))

    frame.locator("#live-updates-show").click()
    expect(frame.locator("#comment-list > li.comment").first).to_contain_text(text)
    assert partner.url == partner_page
