"""A profile form pressed after the reader's session had ended: signing in sends them on to the
form's own address, which only takes a POST. They land on their profile, told that nothing was
saved, rather than on the browser's "HTTP ERROR 405" page with no way back."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from accounts.models import Reader
from discussion.tests.readers import make_reader

pytestmark = pytest.mark.django_db

# Each form's address, what it sends, and its button, which the message names.
FORMS = {
    "/accounts/notifications/": ({"reply_emails": "off"}, "Save email choice"),
    "/readers/me/name/": ({"display_name": "Ada Lovelace"}, "Save display name"),
    "/readers/me/export/": ({}, "Download my data"),
}


@pytest.mark.parametrize("address", FORMS)
def test_signing_in_after_a_profile_form_was_refused_opens_the_profile(client, address):
    ada = make_reader("Ada")
    sent, button = FORMS[address]
    refused = client.post(address, sent)  # the session had ended
    assert refused.status_code == 302
    assert refused["Location"] == f"/accounts/login/?next={address}%3Fsession%3Dended"
    client.force_login(ada)

    landed = client.get(f"{address}?session=ended", follow=True)  # where signing in sends them

    assert landed.status_code == 200
    assert landed.redirect_chain[-1][0] == f"/readers/{ada.reader.pk}/"
    page = BeautifulSoup(landed.content, "html.parser")
    message = page.select_one(".messages").get_text()
    assert "Nothing was sent" in message and f"“{button}”" in message
    reader = Reader.objects.get(user=ada)
    assert (reader.display_name, reader.notify_replies) == ("Ada", True)
