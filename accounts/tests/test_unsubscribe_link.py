"""The unsubscribe link in a reply email (bad-input.md, "Requests"): a mail scanner that fetches
it changes nothing; only the reader's POST (the page's button, or one-click) unsubscribes."""

from __future__ import annotations

import pytest

from accounts.models import Reader
from accounts.notifications import unsubscribe_token
from accounts.services import reader_erase
from discussion.tests.readers import make_reader

pytestmark = pytest.mark.django_db


def test_a_mail_scanner_fetching_the_unsubscribe_link_leaves_reply_emails_on(client):
    ada = make_reader("Ada").reader
    link = f"/accounts/unsubscribe/{unsubscribe_token(reader_id=ada.pk)}/"

    response = client.get(link)

    assert response.status_code == 200
    assert Reader.objects.get(pk=ada.pk).notify_replies is True


def test_an_old_email_of_a_deleted_account_says_it_gets_no_more_emails(client):
    # Not "not valid": the link was ours, and what its reader wants is so already.
    user = make_reader("Ada")
    token = unsubscribe_token(reader_id=user.reader.pk)
    reader_erase(user=user)

    for answer in (
        client.get(f"/accounts/unsubscribe/{token}/"),
        client.post(f"/accounts/unsubscribe/{token}/"),
    ):
        assert answer.status_code == 200
        text = answer.content.decode()
        assert "has been deleted, so it gets no more emails" in text
        assert "not valid" not in text


def test_a_tampered_unsubscribe_link_is_still_refused(client):
    token = unsubscribe_token(reader_id=1) + "x"
    answer = client.get(f"/accounts/unsubscribe/{token}/")
    assert answer.status_code == 400
    assert "This unsubscribe link is not valid." in answer.content.decode()
