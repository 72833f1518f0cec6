""" "Delete my account" pressed after the reader's session had ended asks them to sign in, saying
why, and signing in brings them back to the confirmation page, told that nothing was deleted."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model

from discussion.tests.readers import make_reader

pytestmark = pytest.mark.django_db

ADDRESS = "/readers/me/delete/"


def test_delete_after_the_session_ended_asks_to_sign_in_and_leads_back_to_confirm(client):
    ada = make_reader("Ada")

    refused = client.post(ADDRESS, {"confirm": "yes"})  # the session had ended

    assert refused.status_code == 302
    assert refused["Location"] == f"/accounts/login/?next={ADDRESS}%3Fsession%3Dended"
    client.force_login(ada)
    landed = client.get(f"{ADDRESS}?session=ended")  # where signing in sends them
    page = BeautifulSoup(landed.content, "html.parser")
    assert page.select_one(".messages[data-announce=page-status]").get_text() == (
        "Nothing was deleted. Press “Delete my account” again."
    )
    assert page.select_one("main form button[type=submit]").get_text() == "Delete my account"
    assert get_user_model().objects.filter(pk=ada.pk).exists()


def test_the_confirmation_page_opened_as_usual_says_nothing_of_the_kind(client):
    client.force_login(make_reader("Ada"))

    page = BeautifulSoup(client.get(ADDRESS).content, "html.parser")

    assert page.select_one(".messages") is None
