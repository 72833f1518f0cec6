"""Deleting one's account, changing one's email address and downloading one's data ask for the
password first, unless it was given in the last few minutes (allauth's reauthentication,
ACCOUNT_REAUTHENTICATION_TIMEOUT): a browser left signed in, or a stolen session, is not enough
to lose the account or what it holds. What the member sent is kept while the password is asked
for, and carried out once it is given."""

from __future__ import annotations

import json

import pytest
from allauth.account.models import EmailAddress
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core import mail

from discussion.tests.readers import PASSWORD, make_reader, reauthenticate
from newsroom.tests.factories import make_home

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _front_page():
    make_home()


def _confirm_it_is_me(client, asked, password: str = PASSWORD):
    """The "Confirm it is you" page ``asked`` leads to, filled in with ``password`` and sent
    as its form is."""
    page = client.get(asked["Location"])
    form = BeautifulSoup(page.content, "html.parser").select_one("main form")
    fields = {
        field["name"]: field.get("value", "")
        for field in form.select("input[name]")
        if field.get("type") != "password"
    }
    return client.post(form["action"], {**fields, "password": password})


def test_deleting_the_account_asks_for_the_password_first_and_deletes_nothing_meanwhile(client):
    ada = make_reader("Ada")
    client.force_login(ada)

    asked = client.post("/readers/me/delete/", {"confirm": "yes"})

    assert asked.status_code == 302
    assert asked["Location"].startswith("/accounts/reauthenticate/")
    assert get_user_model().objects.filter(pk=ada.pk).exists()


def test_the_account_is_deleted_as_asked_once_the_password_is_given(client):
    ada = make_reader("Ada")
    client.force_login(ada)
    asked = client.post("/readers/me/delete/", {"confirm": "yes"})

    done = _confirm_it_is_me(client, asked)

    assert done.status_code == 302 and done["Location"] == "/?account=deleted"
    assert not get_user_model().objects.filter(pk=ada.pk).exists()


def test_a_wrong_password_deletes_nothing(client):
    ada = make_reader("Ada")
    client.force_login(ada)
    asked = client.post("/readers/me/delete/", {"confirm": "yes"})

    refused = _confirm_it_is_me(client, asked, password="not-my-password")

    assert refused.status_code == 200
    assert "That is not your password." in refused.content.decode()
    assert get_user_model().objects.filter(pk=ada.pk).exists()


def test_changing_the_email_address_asks_for_the_password_first_and_sends_nothing_meanwhile(
    client,
):
    ada = make_reader("Ada")
    client.force_login(ada)

    asked = client.post("/accounts/email/", {"action_add": "", "email": "new@example.com"})

    assert asked.status_code == 302
    assert asked["Location"].startswith("/accounts/reauthenticate/")
    assert not EmailAddress.objects.filter(email="new@example.com").exists()
    assert mail.outbox == []


def test_the_new_address_typed_is_sent_its_link_once_the_password_is_given(client):
    ada = make_reader("Ada")
    client.force_login(ada)
    asked = client.post("/accounts/email/", {"action_add": "", "email": "new@example.com"})
    assert asked["Location"].startswith("/accounts/reauthenticate/")

    _confirm_it_is_me(client, asked)

    assert EmailAddress.objects.filter(user=ada, email="new@example.com", verified=False).exists()
    assert [message.to for message in mail.outbox if "confirm" in message.subject.lower()] == [
        ["new@example.com"]
    ]


def test_a_password_given_long_enough_ago_is_asked_for_again(client, settings):
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0  # any confirmation is already too old
    ada = make_reader("Ada")
    client.force_login(ada)
    reauthenticate(client)

    asked = client.post("/readers/me/delete/", {"confirm": "yes"})

    assert asked["Location"].startswith("/accounts/reauthenticate/")
    assert get_user_model().objects.filter(pk=ada.pk).exists()


def test_downloading_ones_data_asks_for_the_password_first_and_hands_nothing_over(client):
    client.force_login(make_reader("Ada", email="ada@example.com"))

    asked = client.post("/readers/me/export/")

    assert asked.status_code == 302
    assert asked["Location"].startswith("/accounts/reauthenticate/")
    assert b"ada@example.com" not in asked.content


def test_the_password_page_before_a_download_says_the_page_stays_and_links_back(client):
    ada = make_reader("Ada", email="ada@example.com")
    client.force_login(ada)
    asked = client.post("/readers/me/export/")

    page = BeautifulSoup(client.get(asked["Location"]).content, "html.parser")
    text = " ".join(page.get_text().split())
    back = page.find("a", string="Back to your profile")

    assert "downloads as a file (my-broadsheet-data.json), and this page stays as it is" in text
    assert client.get(back["href"], follow=True).request["PATH_INFO"] == (
        f"/readers/{ada.reader.pk}/"
    )


def test_the_password_page_before_deleting_an_account_says_nothing_of_a_download(client):
    client.force_login(make_reader("Ada", email="ada@example.com"))
    asked = client.post("/readers/me/delete/", {"confirm": "on"})

    page = client.get(asked["Location"]).content.decode()

    assert asked["Location"].startswith("/accounts/reauthenticate/")
    assert "downloads as a file" not in page
    assert "Back to your profile" not in page


def test_the_data_is_downloaded_once_the_password_is_given(client):
    client.force_login(make_reader("Ada", email="ada@example.com"))
    asked = client.post("/readers/me/export/")

    done = _confirm_it_is_me(client, asked)
    downloaded = client.get(done["Location"]) if done.status_code == 302 else done

    assert downloaded["Content-Disposition"] == 'attachment; filename="my-broadsheet-data.json"'
    assert json.loads(downloaded.getvalue())["profile"]["email"] == "ada@example.com"
