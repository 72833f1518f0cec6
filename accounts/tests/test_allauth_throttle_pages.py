"""Past allauth's throttle, the sign-in, sign-up and password reset forms come back, 429 with
Retry-After, with what the reader typed (never a password) and why nothing was sent, where
allauth answered its bare "429 Too Many Requests" page and the typed text was lost."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core import mail

from accounts.services import user_create_verified
from accounts.views import TOO_MANY_RESETS, TOO_MANY_SIGN_INS, TOO_MANY_SIGN_UPS

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple 42"


@pytest.fixture
def limits(settings):
    def set_rate(action: str, rate: str) -> None:
        settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, action: rate}

    return set_rate


def _refused(answer, reason: str) -> BeautifulSoup:
    assert answer.status_code == 429 and int(answer["Retry-After"]) == 60
    page = BeautifulSoup(answer.content, "html.parser")
    assert reason in page.select_one("main form[method=post]").get_text(" ", strip=True)
    return page


def test_past_the_sign_in_limit_the_form_keeps_the_address_and_signs_no_one_in(client, limits):
    limits("login", "1/m/ip")
    user_create_verified(email="ada@example.com", password=PASSWORD)
    client.post("/accounts/login/", {"login": "ada@example.com", "password": "wrong"})

    answer = client.post("/accounts/login/", {"login": "ada@example.com", "password": PASSWORD})

    page = _refused(answer, TOO_MANY_SIGN_INS)
    assert page.select_one("input[name=login]")["value"] == "ada@example.com"
    assert not page.select_one("input[name=password]").get("value")
    assert "_auth_user_id" not in client.session


def test_past_the_sign_up_limit_the_form_keeps_what_was_typed_and_makes_no_account(client, limits):
    limits("signup", "1/m/ip")
    client.post("/accounts/signup/", {"email": "not-an-address"})
    fields = {"email": "ada@example.com", "display_name": "Ada Lovelace"}

    answer = client.post(
        "/accounts/signup/", {**fields, "password1": PASSWORD, "password2": PASSWORD}
    )

    page = _refused(answer, TOO_MANY_SIGN_UPS)
    assert page.select_one("input[name=email]")["value"] == "ada@example.com"
    assert page.select_one("input[name=display_name]")["value"] == "Ada Lovelace"
    assert not page.select_one("input[name=password1]").get("value")
    assert not get_user_model().objects.filter(email="ada@example.com").exists()


def test_past_the_reset_limit_the_form_keeps_the_address_and_sends_nothing(client, limits):
    limits("reset_password", "1/m/ip")
    user_create_verified(email="ada@example.com", password=PASSWORD)
    client.post("/accounts/password/reset/", {"email": "ada@example.com"})
    sent = len(mail.outbox)

    answer = client.post("/accounts/password/reset/", {"email": "ada@example.com"})

    page = _refused(answer, TOO_MANY_RESETS)
    assert page.select_one("input[name=email]")["value"] == "ada@example.com"
    assert len(mail.outbox) == sent
