"""The links in allauth's emails (a password reset, an address's confirmation, "you already have
an account") lead to the site at SITE_BASE_URL, whatever host the request that sent them named:
a request sent to another name the site answers to, chosen by whoever sent it, must not get a
reader's reset key emailed in a link to that host."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

from accounts.services import user_create_verified

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple 42"
OTHER_HOST = "other.example"


@pytest.fixture(autouse=True)
def site_with_another_name(settings):
    settings.SITE_BASE_URL = "https://news.example.org"
    settings.ALLOWED_HOSTS = ["news.example.org", OTHER_HOST]


def _links(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


def _sign_up(client, email="ada@example.com"):
    client.post(
        "/accounts/signup/",
        {"email": email, "password1": PASSWORD, "password2": PASSWORD, "display_name": "Ada"},
        HTTP_HOST=OTHER_HOST,
    )
    return mail.outbox[-1]


def test_a_password_reset_link_asked_for_through_another_host_leads_to_the_site(client):
    user_create_verified(email="ada@example.com", password=PASSWORD)

    client.post("/accounts/password/reset/", {"email": "ada@example.com"}, HTTP_HOST=OTHER_HOST)

    [reset_link] = [link for link in _links(mail.outbox[0]) if "/password/reset/key/" in link]
    assert reset_link.startswith("https://news.example.org/accounts/password/reset/key/")


def test_a_confirmation_link_asked_for_through_another_host_leads_to_the_site(client):
    message = _sign_up(client)

    [confirm_link] = [link for link in _links(message) if "/confirm-email/" in link]
    assert confirm_link.startswith("https://news.example.org/accounts/confirm-email/")


def test_the_already_have_an_account_email_links_to_the_site(client):
    user_create_verified(email="ada@example.com", password=PASSWORD)

    message = _sign_up(client, email="Ada@Example.com")

    assert message.subject.startswith("You already have an account")
    assert _links(message)
    assert {urlsplit(link).netloc for link in _links(message)} == {"news.example.org"}
