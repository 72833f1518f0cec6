"""The messages allauth shows once a reader has done something to their account (signed in,
signed out, changed their password or their email address) are the site's sentences, not
allauth's ("Successfully signed in as ...", "Password successfully changed."): the site's
account/messages/*.txt, which allauth's adapter draws them from. Each test reads the message as
the reader does, on the page they are sent on to."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from bs4 import BeautifulSoup
from django.core import mail

from accounts.services import user_create_verified
from discussion.tests.readers import make_reader, reauthenticate
from newsroom.tests.factories import make_home

pytestmark = pytest.mark.django_db

PASSWORD = "pw-12345"  # make_reader's
NEW_PASSWORD = "a-new-pw-98765-long"


@pytest.fixture(autouse=True)
def _front_page():
    """The site's front page, where signing in and out lead."""
    make_home()


def _messages(response) -> list[str]:
    """The messages the page shows (base.html's .messages), as the reader reads them."""
    assert response.status_code == 200, response.status_code
    soup = BeautifulSoup(response.content, "html.parser")
    return [" ".join(p.get_text().split()) for p in soup.select(".messages .message")]


def test_signing_in_says_who_the_reader_is_signed_in_as(client):
    make_reader("Ada Lovelace", email="ada@example.com")

    response = client.post(
        "/accounts/login/", {"login": "ada@example.com", "password": PASSWORD}, follow=True
    )

    assert _messages(response) == ["You are signed in as Ada Lovelace."]


def test_signing_out_says_the_reader_is_signed_out_on_this_device(client):
    client.force_login(make_reader("Ada Lovelace"))

    response = client.post("/accounts/logout/", follow=True)

    assert _messages(response) == ["You are signed out on this device."]


def test_changing_the_password_says_it_is_changed(client):
    client.force_login(make_reader("Ada Lovelace"))

    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )

    assert _messages(response) == ["Your password is changed."]


def test_choosing_a_first_password_says_it_is_saved_and_what_it_is_for(client):
    client.force_login(user_create_verified(email="sso@example.com"))  # came by single sign-on

    response = client.post(
        "/accounts/password/set/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )

    assert _messages(response) == [
        "Your password is saved. You can now also sign in with your email address and this "
        "password."
    ]


def test_asking_to_change_the_email_address_says_where_the_link_went(client):
    client.force_login(make_reader("Ada Lovelace"))
    reauthenticate(client)

    response = client.post(
        "/accounts/email/", {"action_add": "", "email": "new@example.com"}, follow=True
    )

    assert _messages(response) == [
        "We have sent an email with a link to new@example.com: open it and press Confirm."
    ]


def test_sending_the_link_again_too_soon_says_none_was_sent_and_when_to_ask(client):
    client.force_login(make_reader("Ada Lovelace"))
    reauthenticate(client)
    client.post("/accounts/email/", {"action_add": "", "email": "new@example.com"}, follow=True)
    sent = len(mail.outbox)

    response = client.post(
        "/accounts/email/", {"action_send": "", "email": "new@example.com"}, follow=True
    )

    assert len(mail.outbox) == sent  # allauth sends one link in 3 minutes (confirm_email)
    assert _messages(response) == [
        "No new link was sent: one went to new@example.com a moment ago. Look for it (in your "
        "spam folder too), or wait 3 minutes, then press Send the link again."
    ]


def test_following_the_link_says_the_new_address_is_confirmed(client):
    client.force_login(make_reader("Ada Lovelace"))
    reauthenticate(client)
    client.post("/accounts/email/", {"action_add": "", "email": "new@example.com"}, follow=True)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)

    response = client.post(link, follow=True)

    assert _messages(response) == ["new@example.com is confirmed."]


def test_cancelling_a_change_of_address_says_the_new_one_is_gone(client):
    user = make_reader("Ada Lovelace")
    client.force_login(user)
    reauthenticate(client)
    client.post("/accounts/email/", {"action_add": "", "email": "new@example.com"}, follow=True)

    response = client.post(
        "/accounts/email/", {"action_remove": "", "email": "new@example.com"}, follow=True
    )

    assert _messages(response) == ["new@example.com is no longer on your account."]
    assert not EmailAddress.objects.filter(user=user, email="new@example.com").exists()


def test_a_new_password_from_a_reset_link_is_said_to_be_changed_once(client):
    """By the heading of the page the link's form leads to, not again in a message over it."""
    make_reader("Ada Lovelace", email="ada@example.com")
    client.post("/accounts/password/reset/", {"email": "ada@example.com"})
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", mail.outbox[-1].body)
    form_url = client.get(link.group(0))["Location"]

    response = client.post(
        form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, follow=True
    )

    text = " ".join(BeautifulSoup(response.content, "html.parser").main.get_text().split())
    assert text.count("Your password is changed") == 1
