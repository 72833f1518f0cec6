"""With Redis stopped, a reader's Preview posted by htmx in real Chromium: the form comes back in
its place with the draft as typed and why no preview was drawn, said as an alert; before, the 503
was not swapped in and the reader saw only the generic "Something went wrong" beside the form.

The live site's own app process keeps its cache; a second one, on the same database, is given a
Redis URL at a port on loopback that nobody listens at (Redis stopped, as the operator would
see it)."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import _free_port, _stop, _wait_until_answering, start_granian
from tests.e2e.helpers import new_tab

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def redis_down_url(live_site, tmp_path_factory) -> str:
    """The base URL of an app process of the live site whose Redis does not answer."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = dict(live_site.env, SITE_BASE_URL=url, REDIS_URL="redis://127.0.0.1:1/0")
    log = tmp_path_factory.mktemp("redis-down") / "granian.log"
    proc = start_granian(env, port, log)
    try:
        _wait_until_answering(url + "/", proc, log)
        yield url
    finally:
        _stop(proc)


def test_a_preview_asked_for_while_redis_is_stopped_says_why_beside_the_draft(
    browser, live_site, redis_down_url
):
    page = new_tab(browser, live_site)
    page.goto(redis_down_url + urlsplit(live_site.reference_url).path)
    draft = f"My draft, typed with care {uuid.uuid4().hex[:8]}."
    form = page.locator("#comment-form")
    form.get_by_label("Enter comments here:").fill(draft)
    form.get_by_label("Your display name").fill("Redis Down")

    form.get_by_role("button", name="Preview your comment").click()

    alert = page.locator("#comment-form-errors[role=alert]")
    expect(alert).to_contain_text("The site cannot show previews for a moment")
    expect(alert).to_contain_text("Your text is still here")
    expect(alert).to_be_focused()  # read out, as a refusal's message is, where the reader is
    form = page.locator("#comment-form")
    expect(form.get_by_label("Enter comments here:")).to_have_value(draft)
    expect(form.get_by_label("Your display name")).to_have_value("Redis Down")
    expect(page.locator("#comment-form-preview")).to_have_count(0)
    # The server's own answer, not the script's guess that something went wrong.
    expect(page.locator(".request-error")).to_have_count(0)
