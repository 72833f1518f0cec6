"""Changing one's email goes through verification; an OpenID Connect provider is opt-in."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from accounts.services import reader_create, user_create_verified

pytestmark = pytest.mark.django_db


def test_a_new_email_replaces_the_old_one_only_once_verified(client):
    user = user_create_verified(email="old@example.com", password="pw-12345-long")
    reader_create(user=user, display_name="Ada")
    client.force_login(user)
    client.post("/accounts/email/", {"action_add": "", "email": "new@example.com"})
    assert EmailAddress.objects.get(user=user, primary=True).email == "old@example.com"
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)
    client.post(link)
    assert EmailAddress.objects.get(user=user, primary=True).email == "new@example.com"
    assert not EmailAddress.objects.filter(email="old@example.com").exists()


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
