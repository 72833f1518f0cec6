"""The page the one-click unsubscribe lands on lets the member undo it: "Email me about replies
again", a form of the site's own (with its CSRF token), turns reply emails back on as they were,
and is counted like the profile's email choice (COMMENT_EDIT_RATE_LIMIT)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from accounts.models import Reader
from accounts.notifications import unsubscribe_token
from accounts.services import reader_set_notifications
from core.ratelimit import wait_in_words
from discussion.tests.readers import make_reader

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client(enforce_csrf_checks=True)


def _unsubscribed(client, reader: Reader) -> BeautifulSoup:
    """The page the link's Unsubscribe button leads to."""
    page = client.post(f"/accounts/unsubscribe/{unsubscribe_token(reader_id=reader.pk)}/")
    assert Reader.objects.get(pk=reader.pk).notify_replies is False
    return BeautifulSoup(page.content, "html.parser")


def _press_undo(client, page: BeautifulSoup, **extra):
    form = page.select_one("main form")
    assert form.select_one("button").get_text() == "Email me about replies again"
    fields = {field["name"]: field["value"] for field in form.select("input[name]")}
    return client.post(form["action"], fields, **extra)


def _reply_emails(reader: Reader) -> tuple[bool, bool]:
    reader = Reader.objects.get(pk=reader.pk)
    return reader.notify_replies, reader.reply_digest


def test_the_unsubscribed_page_turns_reply_emails_back_on_as_they_were(client):
    ada = make_reader("Ada").reader
    reader_set_notifications(reader=ada, notify_replies=True, reply_digest=True)
    page = _unsubscribed(client, ada)

    done = _press_undo(client, page)

    assert done.status_code == 200
    said = (
        BeautifulSoup(done.content, "html.parser")
        .select_one(".account-page [role=status]")
        .get_text()
    )
    assert said == "Done: Ada will get emails about replies again."
    assert _reply_emails(ada) == (True, True)


def test_the_undo_without_the_sites_token_is_refused_and_changes_nothing(client):
    ada = make_reader("Ada").reader
    _unsubscribed(client, ada)

    refused = client.post(f"/accounts/unsubscribe/{unsubscribe_token(reader_id=ada.pk)}/undo/")

    assert refused.status_code == 403
    assert _reply_emails(ada) == (False, False)


def test_the_undo_past_the_limit_is_refused_and_leaves_reply_emails_off(client, settings):
    settings.COMMENT_EDIT_RATE_LIMIT = "2/m"
    ada = make_reader("Ada").reader
    for _ in range(2):
        _press_undo(client, _unsubscribed(client, ada))
    page = _unsubscribed(client, ada)

    refused = _press_undo(client, page)

    assert refused.status_code == 429 and refused["Retry-After"]
    said = (
        BeautifulSoup(refused.content, "html.parser")
        .select_one(".account-page [role=alert]")
        .get_text()
    )
    wait = wait_in_words(int(refused["Retry-After"]))
    assert said == f"Too many changes; {wait}. Reply emails are still off."
    assert _reply_emails(ada) == (False, False)


def test_opening_the_undos_address_changes_nothing(client):
    ada = make_reader("Ada").reader
    _unsubscribed(client, ada)
    token = unsubscribe_token(reader_id=ada.pk)

    opened = client.get(f"/accounts/unsubscribe/{token}/undo/")

    assert opened.status_code == 302 and opened["Location"] == f"/accounts/unsubscribe/{token}/"
    assert _reply_emails(ada) == (False, False)


def test_an_undo_with_a_tampered_link_changes_nothing(client):
    ada = make_reader("Ada").reader
    page = _unsubscribed(client, ada)
    form = page.select_one("main form")
    form["action"] = form["action"].replace("/undo/", "xx/undo/")

    refused = _press_undo(client, page)

    assert refused.status_code == 400
    assert _reply_emails(ada) == (False, False)
