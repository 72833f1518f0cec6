"""allauth's emails speak for the publication: its name, its address, sentence-case subjects."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from broadsheet.settings_accounts import default_from_email
from discussion.tests.readers import PASSWORD as READER_PASSWORD
from discussion.tests.readers import make_reader, reauthenticate

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple 42"


def _sign_up(client, email="ada@example.com"):
    client.post(
        "/accounts/signup/",
        {"email": email, "password1": PASSWORD, "password2": PASSWORD, "display_name": "Ada"},
    )
    return mail.outbox[-1]


def test_the_confirmation_email_greets_and_signs_off_with_the_site_name(client, settings):
    settings.WAGTAIL_SITE_NAME = "The Morning Ledger"

    message = _sign_up(client)

    assert message.body.startswith("Hello from The Morning Ledger.")
    assert "Thank you for reading The Morning Ledger." in message.body


def test_the_confirmation_email_has_a_sentence_case_subject_naming_the_site(client, settings):
    settings.WAGTAIL_SITE_NAME = "The Morning Ledger"

    message = _sign_up(client)

    assert message.subject == "Confirm your email address for The Morning Ledger"


def test_the_password_reset_email_names_the_site(client, settings):
    settings.WAGTAIL_SITE_NAME = "The Morning Ledger"
    _sign_up(client)
    mail.outbox.clear()

    client.post("/accounts/password/reset/", {"email": "ada@example.com"})

    assert mail.outbox[0].subject == "Reset your password for The Morning Ledger"
    assert mail.outbox[0].body.startswith("Hello from The Morning Ledger.")


def test_the_default_from_address_is_the_site_name_at_the_site_domain():
    assert default_from_email(
        site_name="The Morning Ledger", base_url="https://news.ledger.example"
    ) == ("The Morning Ledger <noreply@news.ledger.example>")


def test_a_site_at_an_ip_address_sends_from_localhost():
    assert default_from_email(site_name="The Broadsheet", base_url="http://127.0.0.1:8010") == (
        "The Broadsheet <noreply@localhost>"
    )


def test_a_change_notice_gives_its_time_as_the_site_does_and_in_which_zone(client, settings):
    # The reader may read it far from the newsroom: "9:55 p.m." named no zone.
    settings.TIME_ZONE = "Europe/Kyiv"
    client.force_login(make_reader("Ada Lovelace"))
    new_password = "a quite new password 77"

    client.post(
        "/accounts/password/change/",
        {"oldpassword": READER_PASSWORD, "password1": new_password, "password2": new_password},
    )

    [notice] = [m for m in mail.outbox if "password" in m.subject and "changed" in m.subject]
    made = re.search(r"The change was made on (.+), from the address", notice.body)[1]
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} EET", made), made


def test_cancelling_an_unconfirmed_change_of_address_says_so_calmly(client, settings):
    # Not "an email address was taken off your account": the new one never was on it.
    settings.WAGTAIL_SITE_NAME = "The Morning Ledger"
    client.force_login(make_reader("Ada", email="ada@example.com"))
    reauthenticate(client)
    client.post("/accounts/email/", {"action_add": "", "email": "new@example.com"})
    mail.outbox.clear()

    client.post("/accounts/email/", {"action_remove": "", "email": "new@example.com"})

    [message] = mail.outbox
    assert message.to == ["ada@example.com"]
    assert message.subject == "The change of your email address on The Morning Ledger was cancelled"
    assert "to new@example.com was cancelled before that address was confirmed" in message.body
    assert "taken off" not in message.body
