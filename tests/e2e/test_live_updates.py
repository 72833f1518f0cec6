"""Live updates in real Chromium: new comments wait behind a button, reaction counts move in place.

On PostgreSQL with Redis (the CI's second run) the two readers are served by two separate app
processes that share the database and Redis, so every event crosses Redis pub/sub. On the
embedded default (SQLite, in-process events) one app process serves both readers.
"""

from __future__ import annotations

import signal
import time
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import _free_port, _stop, _wait_until_answering, start_granian
from tests.e2e.helpers import new_tab

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live_addresses(live_site, tmp_path_factory) -> list[str]:
    """Base URLs for two readers of the same site (two processes when Redis joins them)."""
    env = dict(live_site.env, MODERATION_TRUST_FIRST_COMMENTS="0")
    shared = env.get("DATABASE_URL", "").startswith("postgres") and bool(env.get("REDIS_URL"))
    logs = tmp_path_factory.mktemp("live-logs")
    procs, urls = [], []
    try:
        for index in range(2 if shared else 1):
            port = _free_port()
            url = f"http://127.0.0.1:{port}"
            proc = start_granian(dict(env, SITE_BASE_URL=url), port, logs / f"app{index}.log")
            procs.append(proc)
            _wait_until_answering(url + "/", proc, logs / f"app{index}.log")
            urls.append(url)
        yield urls if shared else urls * 2
    finally:
        for proc in procs:
            _stop(proc)


def _article_path(live_site) -> str:
    return urlsplit(live_site.reference_url).path


def _open(browser, live_site, base: str) -> Page:
    tab = new_tab(browser, live_site)
    tab.goto(base + _article_path(live_site))
    expect(tab.locator("#live-updates")).to_have_attribute("data-state", "open")
    return tab


def test_a_comment_posted_in_one_app_process_shows_as_a_button_in_the_other_within_2_seconds(
    browser, live_site, live_addresses
):
    reader, writer = (_open(browser, live_site, base) for base in live_addresses)
    text = f"Live from the second process {time.time_ns()}"
    writer.fill("#comment-form-body", text)
    writer.fill("#comment-form-name", "Live Writer")
    writer.get_by_role("button", name="Post comment").click()
    expect(writer.locator("#discussion-status")).to_contain_text("Your comment was posted")
    posted_at = time.monotonic()

    button = reader.locator("#live-updates-show")
    expect(button).to_be_visible(timeout=2_000)
    assert time.monotonic() - posted_at < 2.0
    expect(button).to_have_text("1 new comment \u2014 show")
    # Nothing is inserted under the reader's eyes until they ask for it.
    expect(reader.locator("#comment-list").get_by_text(text)).to_have_count(0)

    button.click()

    shown = reader.locator("#comment-list li.comment", has_text=text)
    expect(shown).to_be_visible()
    expect(shown).to_be_focused()
    expect(button).to_be_hidden()
    expect(reader.locator("#discussion-status")).to_have_text("1 new comment shown.")


def test_showing_new_comments_brings_the_headings_count_up_to_date(
    browser, live_site, live_addresses
):
    reader, writer = (_open(browser, live_site, base) for base in live_addresses)
    heading = reader.locator("#comments-heading .discussion__count")
    before = int(heading.inner_text().strip("()").replace(",", ""))
    writer.fill("#comment-form-body", f"One more for the count {time.time_ns()}")
    writer.fill("#comment-form-name", "Live Writer")
    writer.get_by_role("button", name="Post comment").click()
    button = reader.locator("#live-updates-show")
    expect(button).to_be_visible(timeout=2_000)

    button.click()

    expect(heading).to_have_text(f"({before + 1:,})")


def test_a_recommendation_in_one_app_process_updates_the_count_in_the_other_in_place(
    browser, live_site, live_addresses
):
    reader, writer = (_open(browser, live_site, base) for base in live_addresses)
    reader.evaluate("window.__marker = 'same document'")
    first = "#comment-list > li.comment >> nth=0"
    count = reader.locator(first).locator(".reaction__count").first
    before = int(count.inner_text())

    writer.locator(first).locator(".reaction__button").first.click()

    expect(count).to_have_text(str(before + 1), timeout=2_000)
    assert reader.evaluate("window.__marker") == "same document"


def test_an_app_process_with_readers_streams_open_stops_promptly_when_told_to(
    browser, live_site, tmp_path
):
    # A deploy sends SIGTERM. The server stops gracefully, waiting for open answers to finish,
    # and a live stream never finishes by itself: the process used to wait until it was killed.
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "app.log"
    server = start_granian(dict(live_site.env, SITE_BASE_URL=url), port, log)
    try:
        _wait_until_answering(url + "/", server, log)
        reader = _open(browser, live_site, url)  # its stream is open on this process
        server.send_signal(signal.SIGTERM)
        # TimeoutExpired here is the bug: the process used to wait for the stream for good.
        # The bound allows for a loaded machine (it ran past 5 s once with CI and other tests
        # sharing two cores); a stop that works takes well under a second.
        server.wait(timeout=20)
        # The stream ended cleanly, so the page goes back to connecting (to a process that
        # runs, behind a real deployment's address) rather than holding a dead connection.
        expect(reader.locator("#live-updates")).not_to_have_attribute("data-state", "open")
    finally:
        _stop(server)
