"""A sign-up form sent twice at once (a double click, a retry on a slow connection) to the real
server: one account, and both answers lead to the page that says to confirm the address, as
one press does; neither is a server error (bad-input.md, "the same submit twice").

The two are sent from two threads, so that both are checked before either account is saved,
as happens when the second press comes while the first's password is still being hashed.
"""

from __future__ import annotations

import re
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import run_worker_once

pytestmark = pytest.mark.browser

PASSWORD = "a long and unusual passphrase 7"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _send_at_once(url: str, body: bytes, cookie: str, times: int) -> list[tuple[int, str]]:
    opener = urllib.request.build_opener(_NoRedirects)
    start = threading.Barrier(times)
    answers: list[tuple[int, str]] = []

    def send() -> None:
        # The live site's own http address.
        request = urllib.request.Request(url, data=body, headers={"Cookie": cookie})  # noqa: S310
        start.wait()
        try:
            with opener.open(request, timeout=30) as answer:
                answers.append((answer.status, answer.headers.get("Location", "")))
        except urllib.error.HTTPError as answer:
            answers.append((answer.code, answer.headers.get("Location", "")))

    threads = [threading.Thread(target=send) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_a_sign_up_sent_twice_at_once_makes_one_account_and_asks_to_confirm_it(
    page, live_site, mail_sink
):
    tag = uuid.uuid4().hex[:6]
    email = f"twice-{tag}@example.com"
    page.goto("/accounts/signup/")
    token = page.locator("main form input[name=csrfmiddlewaretoken]").input_value()
    cookie = next(c for c in page.context.cookies() if c["name"] == "csrftoken")["value"]
    body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "email": email,
            "display_name": f"Twice {tag}",
            "password1": PASSWORD,
            "password2": PASSWORD,
        }
    ).encode()

    answers = _send_at_once(live_site.url("/accounts/signup/"), body, f"csrftoken={cookie}", 2)

    assert [status for status, _ in answers] == [302, 302], answers
    assert all(location.startswith("/accounts/confirm-email/") for _, location in answers)
    run_worker_once(live_site)  # the task worker sends allauth's email (accounts.tasks)
    text = mail_sink.wait_for(to=email, subject="confirm").get_body(("plain",)).get_content()
    page.goto(re.search(r"https?://\S+/accounts/confirm-email/\S+", text).group(0))
    page.get_by_role("button", name="Confirm").click()
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
