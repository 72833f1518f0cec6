"""Browser helpers shared by the journeys."""

from __future__ import annotations

import re
import subprocess

from playwright.sync_api import Page, expect

from tests.e2e.conftest import PROJECT_DIR, VENV_BIN, VIEWPORT


def new_tab(browser, live_site, *, address: str = "") -> Page:
    """A page in a fresh context: its own cookies, as a separate reader would have; with
    ``address``, from that address too (the live site trusts 127.0.0.1 as its proxy)."""
    headers = {"X-Forwarded-For": address} if address else {}
    context = browser.new_context(
        viewport=VIEWPORT, base_url=live_site.base_url, extra_http_headers=headers
    )
    context.set_default_timeout(10_000)
    return context.new_page()


def post_as_guest(page: Page, url: str, body: str, name: str) -> None:
    """Open the article at ``url`` and post ``body`` with its comment form as the guest ``name``."""
    page.goto(url)
    form = page.locator("#comment-form")
    form.get_by_label("Enter comments here:").fill(body)
    form.get_by_label("Your display name").fill(name)
    form.get_by_role("button", name="Post comment").click()


def moderator_tab(browser, live_site) -> Page:
    """A page signed in to the Wagtail admin as the demo's staff user, who signs in as staff do:
    the admin's address leads to the site's sign-in page, which leads back to the admin."""
    page = new_tab(browser, live_site)
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.fill("#id_login", live_site.staff_user)
    page.fill("#id_password", live_site.staff_password)
    page.locator("form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    return page


def run_worker_once(live_site) -> None:
    """The database task worker, as an operator runs it, with the live site's settings, until
    the queue is empty."""
    subprocess.run(  # noqa: S603 - fixed command line, our own venv
        [str(VENV_BIN / "python"), "manage.py", "db_worker", "--batch", "--no-startup-delay"],
        cwd=PROJECT_DIR,
        env=live_site.env,
        check=True,
        timeout=120,
        capture_output=True,
    )
