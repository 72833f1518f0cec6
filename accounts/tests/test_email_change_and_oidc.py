"""Changing one's email goes through verification; an OpenID Connect provider is opt-in."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from bs4 import BeautifulSoup
from django.core import mail

from accounts.services import reader_create, user_create_verified
from discussion.tests.readers import reauthenticate

pytestmark = pytest.mark.django_db


def test_a_new_email_replaces_the_old_one_only_once_verified(client):
    user = user_create_verified(email="old@example.com", password="pw-12345-long")
    reader_create(user=user, display_name="Ada")
    client.force_login(user)
    reauthenticate(client, "pw-12345-long")
    client.post("/accounts/email/", {"action_add": "", "email": "new@example.com"})
    assert EmailAddress.objects.get(user=user, primary=True).email == "old@example.com"
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)
    client.post(link)
    assert EmailAddress.objects.get(user=user, primary=True).email == "new@example.com"
    assert not EmailAddress.objects.filter(email="old@example.com").exists()


def test_confirming_a_new_address_while_signed_in_leads_back_to_the_email_page(client):
    """The reader changed their address from their account; its link brings them back there,
    to read which address is theirs now, not to the front page."""
    user = user_create_verified(email="old@example.com", password="pw-12345-long")
    reader_create(user=user, display_name="Ada")
    client.force_login(user)
    reauthenticate(client, "pw-12345-long")
    client.post("/accounts/email/", {"action_add": "", "email": "new@example.com"})
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)

    response = client.post(link, follow=True)

    assert response.redirect_chain[-1][0] == "/accounts/email/"
    page = " ".join(BeautifulSoup(response.content, "html.parser").get_text().split())
    assert "new@example.com is confirmed." in page
    assert "We write to you at new@example.com." in page


def test_the_old_address_is_told_when_the_email_is_changed(client):
    """Whoever changed it (the reader, or someone at a browser left signed in), the address the
    reader had hears of it, and what to do if it was not them."""
    user = user_create_verified(email="old@example.com", password="pw-12345-long")
    reader_create(user=user, display_name="Ada")
    client.force_login(user)
    reauthenticate(client, "pw-12345-long")
    client.post("/accounts/email/", {"action_add": "", "email": "new@example.com"})
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)

    client.post(link)

    [notice] = [message for message in mail.outbox if message.to == ["old@example.com"]]
    assert "email address" in notice.subject and "changed" in notice.subject
    assert "from old@example.com to new@example.com" in notice.body
    assert "If it was not you" in notice.body


def test_the_reader_is_told_when_their_password_is_changed(client):
    user = user_create_verified(email="ada@example.com", password="pw-12345-long")
    reader_create(user=user, display_name="Ada")
    client.force_login(user)
    new = "a-new-pw-98765-long"

    client.post(
        "/accounts/password/change/",
        {"oldpassword": "pw-12345-long", "password1": new, "password2": new},
    )

    [notice] = mail.outbox
    assert notice.to == ["ada@example.com"] and "password" in notice.subject
    assert "If it was not you" in notice.body


def test_no_openid_connect_button_unless_configured(client):
    assert b"OpenID" not in client.get("/accounts/login/").content


def test_a_configured_openid_connect_provider_is_offered_on_the_login_page(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "oidc",
                    "name": "Newsroom Login",
                    "client_id": "broadsheet",
                    "secret": "s3cret",
                    "settings": {"server_url": "https://login.example.com"},
                }
            ]
        }
    }
    html = client.get("/accounts/login/").content.decode()
    assert "Newsroom Login" in html
    assert "/accounts/oidc/oidc/login/" in html
