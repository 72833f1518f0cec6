"""Opening an emailed confirmation link, or a password reset link, while signed in to another
account signs nobody out: allauth did, on the GET, so any page could sign a reader out by sending
their browser to such a link of an account of its own. Confirm, or Save the new password (a
POST), still signs them out, and the page says so beforehand."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

pytestmark = pytest.mark.django_db


def _account(email: str, *, verified: bool):
    user = get_user_model().objects.create_user(email.split("@")[0], email, "pw-12345-long")
    address = EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    return user, address


def _signed_in_with_a_strangers_confirmation_link(client):
    """Ada signed in on ``client``; Mallory's unconfirmed address; the link that confirms it."""
    reader, _ = _account("ada@example.com", verified=True)
    _, stranger_address = _account("mallory@example.com", verified=False)
    client.force_login(reader)
    link = f"/accounts/confirm-email/{EmailConfirmationHMAC(stranger_address).key}/"
    return reader, stranger_address, link


def test_opening_another_accounts_confirmation_link_keeps_the_reader_signed_in(client):
    reader, stranger_address, link = _signed_in_with_a_strangers_confirmation_link(client)

    page = client.get(link)

    assert page.status_code == 200
    said = BeautifulSoup(page.content, "html.parser").select_one("main").get_text(" ", strip=True)
    assert "You are signed in to another account on this device: Confirm signs you out" in said
    assert client.get("/accounts/email/").wsgi_request.user == reader


def test_confirm_pressed_there_confirms_the_address_and_signs_the_reader_out(client):
    reader, stranger_address, link = _signed_in_with_a_strangers_confirmation_link(client)

    client.post(link)

    stranger_address.refresh_from_db()
    assert stranger_address.verified
    assert not client.get("/accounts/email/").wsgi_request.user.is_authenticated


def _reset_link(email: str) -> str:
    Client().post("/accounts/password/reset/", {"email": email})
    return re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body)[1]


def test_opening_another_accounts_password_reset_link_keeps_the_reader_signed_in(client):
    reader, _ = _account("ada@example.com", verified=True)
    _account("mallory@example.com", verified=True)
    client.force_login(reader)

    page = client.get(_reset_link("mallory@example.com"), follow=True)

    said = BeautifulSoup(page.content, "html.parser").select_one("main").get_text(" ", strip=True)
    assert "You are signed in to another account on this device: saving the new password" in said
    assert client.get("/accounts/email/").wsgi_request.user == reader


def test_a_new_password_saved_there_signs_the_reader_out(client):
    reader, _ = _account("ada@example.com", verified=True)
    stranger, _ = _account("mallory@example.com", verified=True)
    client.force_login(reader)
    form = client.get(_reset_link("mallory@example.com"), follow=True)
    new = "a new password for mallory 9"

    client.post(form.wsgi_request.path, {"password1": new, "password2": new})

    stranger.refresh_from_db()
    assert stranger.check_password(new)
    assert not client.get("/accounts/email/").wsgi_request.user.is_authenticated
