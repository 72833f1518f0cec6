"""axe-core, Deque's accessibility engine, on the pages and states readers meet, in real Chromium.

Each page is checked against WCAG 2.0, 2.1 and 2.2, levels A and AA: the standard the brief holds
the article page and the comment UI to, and the rest of what a reader sees. A violation fails
the test and names the rule and the elements. axe comes from PyPI (axe-playwright-python carries
axe.min.js), so nothing is fetched at test time. axe finds what a machine can (names, contrast,
roles, ids, landmarks); the focus and announcement tests elsewhere cover what it cannot.
"""

from __future__ import annotations

import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from accounts.services import DEMO_READER_EMAIL
from newsroom.demo.content import RELATED_ARTICLES
from newsroom.demo.live_blog import LIVE_BLOG
from tests.e2e.helpers import moderator_tab, new_tab

pytestmark = pytest.mark.browser

WCAG_AA = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"],
    },
    "resultTypes": ["violations"],
}
LONG_THREAD_SLUG = next(spec["slug"] for spec in RELATED_ARTICLES if spec.get("long_thread"))
TOP_LEVEL = "#comment-list > li.comment"
PRIVATE_PASSWORD = "e2e-embargo"

# Run by the site's own manage.py shell (the server's database): an article behind a password,
# as an editor sets one in Wagtail's privacy dialog. A private page is left out of every listing,
# so the other tests' pages do not change. Prints its address.
_PRIVATE_ARTICLE = """
from wagtail.models import PageViewRestriction
from newsroom.models import ArticlePage, SectionPage
from newsroom.tests.factories import make_article
title = "Embargoed: the second round of talks"
article = ArticlePage.objects.filter(title=title).first()
if article is None:
    article = make_article(section=SectionPage.objects.live().first(), title=title)
    PageViewRestriction.objects.create(
        page=article, restriction_type="password", password={password!r}
    )
print(article.url)
"""


def _violations(page: Page) -> list[str]:
    """One line per rule broken: its id, impact and help, and the first elements breaking it."""
    found = Axe().run(page, options=WCAG_AA).response["violations"]
    return [
        f"{rule['id']} ({rule['impact']}): {rule['help']} -> "
        + "; ".join(" ".join(node["target"]) for node in rule["nodes"][:5])
        for rule in found
    ]


def _reader_pages(page: Page, live_site) -> dict[str, str]:
    """The addresses a reader goes to, found from the reference article as a reader would."""
    page.goto(live_site.reference_url)
    first = page.locator(TOP_LEVEL).first.get_attribute("id").removeprefix("c-")
    section = page.locator(".masthead a[href^='/']").nth(1).get_attribute("href")
    author = page.locator(".byline a").first.get_attribute("href")
    return {
        "the front page": "/",
        "a section": section,
        "the live blog": f"/{LIVE_BLOG['section']}/{LIVE_BLOG['slug']}/",
        "an author": author,
        "search results": "/search/?q=talks",
        "the transparency report": "/transparency/",
        "sign in": "/accounts/login/",
        "sign up": "/accounts/signup/",
        "reset a password": "/accounts/password/reset/",
        "report a comment": f"/moderation/comments/{first}/report/",
        "a ban's statement, for a reader not banned": "/moderation/ban/",
        "a page that is not there": "/no-such-page/",
    }


def test_the_reference_article_with_its_thread_breaks_no_wcag_aa_rule(page: Page, live_site):
    page.goto(live_site.reference_url)
    expect(page.locator(TOP_LEVEL).first).to_be_visible()

    assert _violations(page) == []


def test_the_comment_form_showing_an_error_breaks_no_wcag_aa_rule(page: Page, live_site):
    page.goto(live_site.reference_url)
    form = page.locator("#comment-form")
    form.get_by_label("Your display name").fill("Kateryna")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator("#comment-form-body-error")).to_be_visible()

    assert _violations(page) == []


def test_the_comment_form_showing_a_preview_breaks_no_wcag_aa_rule(page: Page, live_site):
    page.goto(live_site.reference_url)
    form = page.locator("#comment-form")
    form.get_by_label("Enter comments here:").fill(
        "A **previewed** comment with a [link](https://e.org)."
    )
    form.get_by_role("button", name="Preview your comment").click()
    expect(page.locator("#comment-form-preview strong")).to_be_visible()

    assert _violations(page) == []


def test_an_open_reply_form_breaks_no_wcag_aa_rule(page: Page, live_site):
    page.goto(live_site.reference_url)
    first = page.locator(TOP_LEVEL).first
    first.get_by_role("link", name="Reply", exact=False).first.click()
    expect(page.get_by_role("button", name="Post reply")).to_be_visible()

    assert _violations(page) == []


def test_the_long_thread_after_show_more_breaks_no_wcag_aa_rule(page: Page):
    page.goto("/")
    page.locator(f'.article-card__headline a[href$="/{LONG_THREAD_SLUG}/"]').click()
    count = page.locator(TOP_LEVEL).count()
    page.get_by_role("link", name="Show more comments").click()
    expect(page.locator(TOP_LEVEL)).not_to_have_count(count)
    more_replies = page.locator("[id^=replies-more-] a").first
    if more_replies.count():
        more_replies.click()
        expect(page.locator("#discussion-status")).to_contain_text("shown")

    assert _violations(page) == []


def test_the_other_pages_a_reader_meets_break_no_wcag_aa_rule(page: Page, live_site):
    found = {}
    for name, address in _reader_pages(page, live_site).items():
        page.goto(address)
        found[name] = _violations(page)

    assert found == {name: [] for name in found}


def test_the_account_pages_a_reader_meets_break_no_wcag_aa_rule(page: Page, live_site):
    """Past the sign-in, sign-up and reset pages as they open (the test above): each as it
    answers a refused form, the pages after asking for a reset link and after signing out, and a
    signed-in reader's own account pages. The demo reader's password and address stay as they
    are (other tests sign in with them): their forms are checked refused."""
    found = {}
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(f"nobody-{uuid.uuid4().hex[:6]}@example.com")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    found["sign in, refused"] = _violations(page)

    page.goto("/accounts/signup/")
    page.get_by_label("Email").fill(f"a11y-{uuid.uuid4().hex[:6]}@example.com")
    page.get_by_label("Display name").fill(f"A11y {uuid.uuid4().hex[:6]}")
    page.get_by_label("Password", exact=True).fill("40917263548")
    page.get_by_label("Password (again)").fill("40917263548")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_label("Password", exact=True)).to_have_attribute("aria-invalid", "true")
    found["sign up, refused"] = _violations(page)

    page.goto("/accounts/password/reset/")
    page.get_by_label("Email").fill(f"nobody-{uuid.uuid4().hex[:6]}@example.com")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    found["a reset link sent"] = _violations(page)

    password = (Path(live_site.env["BROADSHEET_VAR_DIR"]) / "demo-reader-password").read_text()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(DEMO_READER_EMAIL)
    page.get_by_label("Password").fill(password.strip())
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/)"))

    # Each form checked refused only: the page as it opens is the same, without the error.
    page.goto("/accounts/email/")
    page.get_by_label("New email address").fill(DEMO_READER_EMAIL)  # already theirs: refused
    page.get_by_role("button", name="Change email").click()
    expect(page.get_by_label("New email address")).to_have_attribute("aria-invalid", "true")
    found["your email address, refused"] = _violations(page)

    page.goto("/accounts/password/change/")
    page.get_by_label("Current password").fill("not the password")
    page.get_by_label("New password", exact=True).fill("a long new passphrase 9")
    page.get_by_label("New password (again)").fill("a long new passphrase 9")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_label("Current password")).to_have_attribute("aria-invalid", "true")
    found["change your password, refused"] = _violations(page)

    page.goto("/accounts/password/reset/")
    found["reset a password, signed in"] = _violations(page)

    page.goto("/accounts/logout/")
    found["sign out"] = _violations(page)
    page.get_by_role("main").get_by_role("button", name="Sign out").click()
    expect(page.locator("#page-status")).to_have_text("You are signed out on this device.")
    found["signed out"] = _violations(page)

    assert found == {name: [] for name in found}


def test_the_pending_queue_with_a_new_comment_waiting_breaks_no_rule(browser, live_site):
    """A moderator's Pending queue as its live stream offers a comment held since it was drawn:
    the page, and the "1 new in this queue" button, whose target is at least 24 by 24 CSS
    pixels (WCAG 2.5.8) on its own, not by the spacing around it axe also accepts."""
    moderator = moderator_tab(browser, live_site)
    moderator.goto("/admin/moderation/queue/pending/")
    expect(moderator.locator("#mod-live")).to_have_attribute("data-state", "open")
    writer = new_tab(browser, live_site)
    writer.goto(live_site.reference_url)
    writer.fill("#comment-form-body", f"The minister is a moron {uuid.uuid4().hex[:6]}")
    writer.fill("#comment-form-name", "A11y Writer")
    writer.get_by_role("button", name="Post comment").click()
    button = moderator.locator("#mod-live-show")
    expect(button).to_have_text("1 new in this queue \u2014 show")

    box = button.bounding_box()

    assert box["width"] >= 24 and box["height"] >= 24, box
    assert _violations(moderator) == []


@pytest.fixture(scope="module")
def private_article(live_site) -> str:
    done = subprocess.run(  # noqa: S603 - our own venv and manage.py
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            _PRIVATE_ARTICLE.format(password=PRIVATE_PASSWORD),
        ],
        env=live_site.env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return done.stdout.split()[-1]


def test_a_private_articles_password_page_is_the_sites_own_and_breaks_no_rule(
    page: Page, private_article
):
    page.goto(private_article)
    expect(page.get_by_role("heading", level=1)).to_have_text("This page needs a password")
    expect(page.locator(".skip-link")).to_have_count(1)
    assert "Embargoed" not in page.content()
    assert _violations(page) == []

    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Continue").click()
    field = page.get_by_label("Password")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".field__error")).to_contain_text("not correct")
    assert _violations(page) == []

    field.fill(PRIVATE_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Embargoed: the second round of talks"
    )
