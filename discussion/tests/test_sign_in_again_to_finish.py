"""A signed-in-only form pressed after the reader's session had ended sends them to sign in, and
the sign-in page says why, above its form: "Sign in again to finish: your session had ended."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from discussion.tests.readers import make_reader
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

SAID = "Sign in again to finish: your session had ended."

# Each signed-in-only form's address (a comment's is filled in by the test) and what it sends.
FORMS = {
    "/discussion/comments/{comment}/reply-emails/": {"reply_emails": "off"},
    "/accounts/notifications/": {"reply_emails": "off"},
    "/readers/me/name/": {"display_name": "Ada Lovelace"},
    "/readers/me/export/": {},
    "/readers/me/delete/": {"confirm": "yes"},
}


def _said(response):
    """The sign-in page's line about an ended session, and whether the form comes after it.

    The line is for the page's empty status region, which site.js moves it into once the page
    has loaded (data-announce), so that it is announced."""
    page = BeautifulSoup(response.content, "html.parser")
    line = page.select_one("#session-ended[data-announce]")
    if line is None or page.select_one(f"[role=status]#{line['data-announce']}:empty") is None:
        return None, False
    return line.get_text(strip=True), line.find_next("form", action="/accounts/login/") is not None


@pytest.mark.parametrize("address", FORMS)
def test_a_form_pressed_after_the_session_ended_leads_to_a_sign_in_page_that_says_why(
    client, address
):
    ada = make_reader("Ada")
    comment = make_comment(thread_ensure(page=make_article()), "My words.", user_id=ada.pk)
    refused = client.post(address.format(comment=comment.pk), FORMS[address])

    sign_in = client.get(refused["Location"])

    assert sign_in.status_code == 200
    assert _said(sign_in) == (SAID, True)


def test_the_line_stays_after_a_mistyped_password(client):
    make_reader("Ada", email="ada@example.com")
    sent_to = client.post("/accounts/notifications/", {"reply_emails": "off"})["Location"]
    next_url = client.get(sent_to).context["redirect_field_value"]

    again = client.post(
        "/accounts/login/", {"login": "ada@example.com", "password": "wrong", "next": next_url}
    )

    assert again.status_code == 200
    assert _said(again) == (SAID, True)


def test_an_edit_saved_after_the_session_ended_keeps_the_text_and_asks_to_sign_in_again(client):
    """The member's own comment, their session over (expired, or signed out in another tab):
    not "This is not your comment", and the rewrite is theirs to copy, not lost."""
    ada = make_reader("Ada")
    comment = make_comment(thread_ensure(page=make_article()), "My words.", user_id=ada.pk)
    rewrite = "My careful rewrite, an hour in the making & <unsaved>."

    refused = client.post(f"/discussion/comments/{comment.pk}/edit/", {"body": rewrite})

    assert refused.status_code == 403
    page = BeautifulSoup(refused.content, "html.parser")
    assert "your session had ended" in page.select_one("[role=alert]").get_text()
    assert "not your comment" not in page.get_text()
    assert page.select_one("textarea[readonly]").get_text() == rewrite
    sign_in = client.get(page.find("a", string="Sign in again")["href"])
    assert _said(sign_in) == (SAID, True)
    comment.refresh_from_db()
    assert comment.body == "My words."


def test_a_delete_pressed_after_the_session_ended_leads_to_sign_in_not_not_your_comment(client):
    ada = make_reader("Ada")
    comment = make_comment(thread_ensure(page=make_article()), "My words.", user_id=ada.pk)

    refused = client.post(f"/discussion/comments/{comment.pk}/delete/")

    assert refused.status_code == 302
    assert _said(client.get(refused["Location"])) == (SAID, True)
    comment.refresh_from_db()
    assert comment.status == comment.Status.PUBLISHED
