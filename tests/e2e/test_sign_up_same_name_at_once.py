"""Two readers signing up at the same moment under the same display name (each with their own
address), to the real server: the first gets the account and is asked to confirm it; the other
gets the sign-up form back, filled in as they sent it, saying the name is taken, and no account
was made for their address, so a second try with another name goes through. Neither answer is a
server error.

The two are sent from two threads, so that both forms are checked before either account is
saved (the password is hashed meanwhile), as two readers pressing at once are.
"""

from __future__ import annotations

import re
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid
from html.parser import HTMLParser

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import run_worker_once

pytestmark = pytest.mark.browser

PASSWORD = "a long and unusual passphrase 7"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class _Inputs(HTMLParser):
    """The values of the named inputs of the page's forms."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        if tag == "input" and attributes.get("name"):
            self.values[attributes["name"]] = attributes.get("value") or ""


def _post(url: str, body: bytes, cookie: str) -> tuple[int, str, str]:
    opener = urllib.request.build_opener(_NoRedirects)
    # The live site's own http address.
    request = urllib.request.Request(url, data=body, headers={"Cookie": cookie})  # noqa: S310
    try:
        with opener.open(request, timeout=30) as answer:
            return answer.status, answer.headers.get("Location", ""), answer.read().decode()
    except urllib.error.HTTPError as answer:
        return answer.code, answer.headers.get("Location", ""), answer.read().decode()


def _send_at_once(url: str, bodies: list[bytes], cookie: str) -> dict[bytes, tuple[int, str, str]]:
    start = threading.Barrier(len(bodies))
    answers: dict[bytes, tuple[int, str, str]] = {}

    def send(body: bytes) -> None:
        start.wait()
        answers[body] = _post(url, body, cookie)

    threads = [threading.Thread(target=send, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_two_sign_ups_at_once_under_one_name_give_the_second_its_form_back_saying_so(
    page, live_site, mail_sink
):
    tag = uuid.uuid4().hex[:6]
    name = f"Same Name {tag}"
    emails = [f"first-{tag}@example.com", f"second-{tag}@example.com"]
    page.goto("/accounts/signup/")
    token = page.locator("main form input[name=csrfmiddlewaretoken]").input_value()
    cookie = (
        "csrftoken=" + next(c for c in page.context.cookies() if c["name"] == "csrftoken")["value"]
    )

    def form(email: str, display_name: str) -> bytes:
        return urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "email": email,
                "display_name": display_name,
                "password1": PASSWORD,
                "password2": PASSWORD,
            }
        ).encode()

    bodies = [form(email, name) for email in emails]
    answers = _send_at_once(live_site.url("/accounts/signup/"), bodies, cookie)

    statuses = sorted(status for status, _, _ in answers.values())
    assert statuses == [200, 302], [(s, loc) for s, loc, _ in answers.values()]
    winner, loser = sorted(range(2), key=lambda i: answers[bodies[i]][0], reverse=True)
    assert answers[bodies[winner]][1].startswith("/accounts/confirm-email/")
    refused_page = answers[bodies[loser]][2]
    assert "That display name is taken" in refused_page
    typed = _Inputs()
    typed.feed(refused_page)
    assert typed.values["email"] == emails[loser]
    assert typed.values["display_name"] == name

    # Nothing was kept of the refused sign-up: the same address, under another name, is a new
    # account, whose confirmation link arrives and lets the reader in.
    status, location, _ = _post(
        live_site.url("/accounts/signup/"), form(emails[loser], f"Other Name {tag}"), cookie
    )
    assert (status, location.startswith("/accounts/confirm-email/")) == (302, True)
    run_worker_once(live_site)  # the task worker sends allauth's email (accounts.tasks)
    text = mail_sink.wait_for(to=emails[loser], subject="confirm").get_body(("plain",))
    page.goto(re.search(r"https?://\S+/accounts/confirm-email/\S+", text.get_content()).group(0))
    page.get_by_role("button", name="Confirm").click()
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(emails[loser])
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
