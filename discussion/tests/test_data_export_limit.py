"""Download my data reads everything a reader wrote, so it is limited like a write
(``DATA_EXPORT_RATE``, per account and per address): past the limit nothing is downloaded, and
the profile comes back saying when to try again."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from core.ratelimit import wait_in_words
from discussion.tests.factories import make_comment, make_thread
from discussion.tests.readers import make_reader, reauthenticate

pytestmark = pytest.mark.django_db


def test_download_my_data_past_the_limit_is_refused_with_a_message_on_the_profile(client, settings):
    settings.DATA_EXPORT_RATE = "2/h"
    ada = make_reader("Ada")
    make_comment(make_thread(), "My own words.", name="Ada", user_id=ada.pk)
    client.force_login(ada)
    reauthenticate(client)  # the download asks for the password first
    for _ in range(2):
        assert client.post("/readers/me/export/")["Content-Type"] == "application/json"

    refused = client.post("/readers/me/export/")

    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in refused
    assert int(refused["Retry-After"]) > 0
    page = BeautifulSoup(refused.content, "html.parser")
    message = page.select_one(".messages[data-announce=page-status]").get_text(strip=True)
    assert message.startswith("You have downloaded your data too many times. Nothing was")
    wait = wait_in_words(int(refused["Retry-After"]))
    assert message.endswith(f"Nothing was downloaded; {wait}, then try again.")
    assert page.find("button", string="Download my data") is not None
