"""The Confirm button of an emailed confirmation link's page counts against allauth's throttle
(ACCOUNT_RATE_LIMITS["confirm_email_key"], per address), as the password reset link's page
does: past it the page comes back, 429, saying so with the button, and nothing is confirmed.
allauth's own page took any number of presses."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.test import Client

from accounts.views import TOO_MANY_CONFIRMATIONS
from core.ratelimit import say_wait

pytestmark = pytest.mark.django_db


def _link(email: str) -> str:
    user = get_user_model().objects.create_user(email.split("@")[0], email, "pw-12345-long")
    address = EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    return f"/accounts/confirm-email/{EmailConfirmationHMAC(address).key}/"


def _verified(email: str) -> bool:
    return EmailAddress.objects.get(email=email).verified


def test_past_the_limit_a_good_link_confirms_nothing(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "confirm_email_key": "2/m/ip"}
    client = Client()
    for name in ("ada", "bo"):
        client.post(_link(f"{name}@example.com"))
    assert _verified("bo@example.com")
    link = _link("cy@example.com")

    refused = client.post(link)

    assert refused.status_code == 429 and int(refused["Retry-After"]) == 60
    page = BeautifulSoup(refused.content, "html.parser")
    said = page.select_one("[role=alert]").get_text(strip=True)
    assert said == say_wait(TOO_MANY_CONFIRMATIONS, 60)  # "wait a minute", as Retry-After
    # The key is signed afresh for the page (its time in it), so it may differ from the link's.
    form = page.select_one('form[action^="/accounts/confirm-email/"]')
    assert form.select_one("button").get_text(strip=True) == "Confirm"
    assert not _verified("cy@example.com")


def test_opening_the_link_is_not_counted(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "confirm_email_key": "1/m/ip"}
    client = Client()
    link = _link("ada@example.com")
    for _ in range(3):
        assert client.get(link).status_code == 200

    client.post(link)

    assert _verified("ada@example.com")
