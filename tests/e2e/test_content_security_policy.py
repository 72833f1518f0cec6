"""The site's Content-Security-Policy (core.csp) in real Chromium: it is enforced, and the browser
tests hear a violation (tests/e2e/conftest.py, WatchedBrowser), so a run with none shows that
the policy breaks nothing they do."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def test_a_style_the_policy_refuses_is_not_applied_and_the_violation_is_heard(
    page: Page, browser, live_site
):
    page.goto(live_site.reference_url)
    assert browser.csp_violations == []

    # As an injected inline style would be: refused (style-src 'self', no 'unsafe-inline').
    page.evaluate(
        "() => { const style = document.createElement('style');"
        " style.textContent = 'body { visibility: hidden; }';"
        " document.head.append(style); }"
    )

    assert page.evaluate("getComputedStyle(document.body).visibility") == "visible"
    page.wait_for_function("() => true")  # lets the violation's console message arrive
    assert any("style-src" in violation for violation in browser.csp_violations)
    browser.csp_violations.clear()  # heard, as it should be: not this test's failure
