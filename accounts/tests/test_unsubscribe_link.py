"""The unsubscribe link in a reply email (bad-input.md, "Requests"): a mail scanner that fetches
it changes nothing; only the reader's POST (the page's button, or one-click) unsubscribes."""

from __future__ import annotations

import pytest

from accounts.models import Reader
from accounts.notifications import unsubscribe_token
from discussion.tests.readers import make_reader

pytestmark = pytest.mark.django_db


def test_a_mail_scanner_fetching_the_unsubscribe_link_leaves_reply_emails_on(client):
    ada = make_reader("Ada").reader
    link = f"/accounts/unsubscribe/{unsubscribe_token(reader_id=ada.pk)}/"

    response = client.get(link)

    assert response.status_code == 200
    assert Reader.objects.get(pk=ada.pk).notify_replies is True
