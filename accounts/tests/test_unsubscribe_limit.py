"""The one-click unsubscribe (the link's Unsubscribe button, and a mail client's RFC 8058 POST)
is counted per address (UNSUBSCRIBE_RATE): past it the answer is a 429 with Retry-After, the
page asks again, and the reader's reply emails are left as they were."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from accounts.models import Reader
from accounts.notifications import unsubscribe_token
from core.ratelimit import wait_in_words
from discussion.tests.readers import make_reader

pytestmark = pytest.mark.django_db


def _unsubscribe(client: Client, reader: Reader):
    # As a mail client sends it: no CSRF token, the form field RFC 8058 names.
    return client.post(
        f"/accounts/unsubscribe/{unsubscribe_token(reader_id=reader.pk)}/",
        {"List-Unsubscribe": "One-Click"},
    )


def test_an_unsubscribe_past_the_limit_is_refused_and_leaves_reply_emails_on(settings):
    settings.UNSUBSCRIBE_RATE = "2/h"  # the wait said is the hour's rest, not "a minute"
    client = Client(enforce_csrf_checks=True)
    for name in ("Ada", "Bo"):
        assert _unsubscribe(client, make_reader(name).reader).status_code == 200
    cy = make_reader("Cy").reader

    refused = _unsubscribe(client, cy)

    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 3600
    page = BeautifulSoup(refused.content, "html.parser")
    wait = wait_in_words(int(refused["Retry-After"]))
    assert page.select_one(".account-page [role=alert]").get_text() == (
        f"Too many unsubscribes from your address. Nothing was changed: {wait}, then "
        "press Unsubscribe again."
    )
    assert page.select_one("main form button").get_text() == "Unsubscribe"
    assert Reader.objects.get(pk=cy.pk).notify_replies is True


def test_another_address_can_still_unsubscribe(settings):
    settings.UNSUBSCRIBE_RATE = "1/m"
    busy = Client()
    _unsubscribe(busy, make_reader("Ada").reader)
    _unsubscribe(busy, make_reader("Bo").reader)
    cy = make_reader("Cy").reader

    done = _unsubscribe(Client(REMOTE_ADDR="198.51.100.7"), cy)

    assert done.status_code == 200
    assert Reader.objects.get(pk=cy.pk).notify_replies is False


def test_opening_the_link_is_not_counted(settings):
    settings.UNSUBSCRIBE_RATE = "1/m"
    client = Client()
    ada = make_reader("Ada").reader
    for _ in range(3):
        assert (
            client.get(f"/accounts/unsubscribe/{unsubscribe_token(reader_id=ada.pk)}/").status_code
            == 200
        )

    assert _unsubscribe(client, ada).status_code == 200
    assert Reader.objects.get(pk=ada.pk).notify_replies is False
