"""The profile's reply-email choice takes only the choices it offers (For each reply, Once a
day, Never): any other value sent is refused with a message saying what to choose, and the
member's choice stays as it was, where it used to be read as Never and turned reply emails off."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from accounts.models import Reader
from discussion.tests.readers import make_reader

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("sent", [{"reply_emails": "weekly"}, {"reply_emails": ""}, {}])
def test_a_reply_email_choice_not_offered_is_refused_and_changes_nothing(client, sent):
    ada = make_reader("Ada")
    client.force_login(ada)
    client.post("/accounts/notifications/", {"reply_emails": "daily"})

    refused = client.post("/accounts/notifications/", sent, follow=True)

    message = BeautifulSoup(refused.content, "html.parser").select_one(".messages").get_text()
    assert "Choose one of For each reply, Once a day or Never." in message
    assert "Your email choice was not saved." in message
    reader = Reader.objects.get(user=ada)
    assert (reader.notify_replies, reader.reply_digest) == (True, True)


@pytest.mark.parametrize(
    ("choice", "saved"),
    [("on", (True, False)), ("daily", (True, True)), ("off", (False, True))],
)
def test_each_reply_email_choice_offered_is_saved(client, choice, saved):
    ada = make_reader("Ada")
    client.force_login(ada)
    client.post("/accounts/notifications/", {"reply_emails": "daily"})

    client.post("/accounts/notifications/", {"reply_emails": choice})

    reader = Reader.objects.get(user=ada)
    assert (reader.notify_replies, reader.reply_digest) == saved
