"""Past allauth's throttle, the sign-in, sign-up and password reset forms, the page a password
reset email's link opens, and the pages that change an account's email address and password,
come back, 429 with Retry-After, with what the
reader typed (never a password) and why nothing was sent, where allauth answered its bare "429
Too Many Requests" page and the typed text was lost."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from accounts.services import user_create_verified
from accounts.views import (
    TOO_MANY_EMAIL_CHANGES,
    TOO_MANY_NEW_PASSWORDS,
    TOO_MANY_PASSWORD_CHANGES,
    TOO_MANY_PASSWORD_SETS,
    TOO_MANY_REAUTHENTICATIONS,
    TOO_MANY_RESETS,
    TOO_MANY_SIGN_INS,
    TOO_MANY_SIGN_UPS,
)
from core.ratelimit import say_wait

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple 42"


@pytest.fixture
def limits(settings):
    def set_rate(action: str, rate: str) -> None:
        settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, action: rate}

    return set_rate


def _refused(answer, reason: str, *, retry_after: int = 60) -> BeautifulSoup:
    """The form refused, 429, saying ``reason`` with the wait its Retry-After carries."""
    assert answer.status_code == 429 and int(answer["Retry-After"]) == retry_after
    page = BeautifulSoup(answer.content, "html.parser")
    said = say_wait(reason, retry_after)
    assert said in page.select_one("main form[method=post]").get_text(" ", strip=True)
    return page


def _signed_in(email: str = "ada@example.com") -> Client:
    client = Client()
    client.force_login(user_create_verified(email=email, password=PASSWORD))
    return client


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


def test_past_the_email_limit_the_new_address_typed_comes_back_and_nothing_changes(limits):
    limits("manage_email", "1/m/user")
    client = _signed_in()
    client.post("/accounts/email/", {"email": "not-an-address", "action_add": ""})

    answer = client.post("/accounts/email/", {"email": "ada.new@example.com", "action_add": ""})

    page = _refused(answer, TOO_MANY_EMAIL_CHANGES)
    assert page.select_one("input[name=email]")["value"] == "ada.new@example.com"
    assert list(EmailAddress.objects.values_list("email", flat=True)) == ["ada@example.com"]


def test_past_the_password_change_limit_the_password_is_not_changed_nor_shown(limits):
    limits("change_password", "1/m/user")
    client = _signed_in()
    new = "another long pass 77"
    client.post("/accounts/password/change/", {"oldpassword": "wrong", "password1": new})

    answer = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
    )

    page = _refused(answer, TOO_MANY_PASSWORD_CHANGES)
    assert not any(box.get("value") for box in page.select("input[type=password]"))
    assert client.login(username="ada@example.com", password=PASSWORD)


def test_past_the_reauthentication_limit_the_password_is_not_checked_nor_shown(limits):
    limits("reauthenticate", "1/h/user")
    client = _signed_in()
    client.post("/accounts/reauthenticate/", {"password": "wrong"})

    answer = client.post("/accounts/reauthenticate/", {"password": PASSWORD})

    page = _refused(answer, TOO_MANY_REAUTHENTICATIONS, retry_after=3600)
    assert "wait an hour" in page.select_one("main form[method=post]").get_text(" ")
    assert page.select_one("h1").get_text(strip=True) == "Confirm it is you"
    assert not any(box.get("value") for box in page.select("input[type=password]"))
    records = client.session.get("account_authentication_methods", [])
    assert not any(record.get("reauthenticated") for record in records)


def test_past_the_set_password_limit_no_password_is_set_nor_shown(limits):
    limits("change_password", "1/m/user")
    user = user_create_verified(email="ada@example.com", password=PASSWORD)
    user.set_unusable_password()
    user.save()
    client = Client()
    client.force_login(user)
    new = "another long pass 77"
    client.post("/accounts/password/set/", {"password1": new, "password2": "not the same"})

    answer = client.post("/accounts/password/set/", {"password1": new, "password2": new})

    page = _refused(answer, TOO_MANY_PASSWORD_SETS)
    assert not any(box.get("value") for box in page.select("input[type=password]"))
    user.refresh_from_db()
    assert not user.has_usable_password()


def _new_password_form(client: Client, email: str) -> str:
    """The address of the form a password reset email's link leads to, opened by ``client``
    (allauth keeps the link's key in its session)."""
    client.post("/accounts/password/reset/", {"email": email})
    link = re.search(r"https?://\S+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body)
    return client.get(link.group(1))["Location"]


def test_past_the_reset_link_limit_the_new_password_is_not_saved_nor_shown(client, limits):
    limits("reset_password_from_key", "1/m/ip")
    user = user_create_verified(email="ada@example.com", password=PASSWORD)
    form_url = _new_password_form(client, "ada@example.com")
    new = "another long pass 77"
    client.post(form_url, {"password1": new, "password2": "not the same"})

    answer = client.post(form_url, {"password1": new, "password2": new})

    page = _refused(answer, TOO_MANY_NEW_PASSWORDS)
    assert page.select_one("main h1").get_text(strip=True) == "Choose a new password"
    assert not any(box.get("value") for box in page.select("input[type=password]"))
    assert new not in answer.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_past_the_reset_link_limit_its_form_saves_the_password_once_there_is_room(client, limits):
    limits("reset_password_from_key", "1/m/ip")
    user = user_create_verified(email="ada@example.com", password=PASSWORD)
    form_url = _new_password_form(client, "ada@example.com")
    new = "another long pass 77"
    client.post(form_url, {"password1": new, "password2": "not the same"})
    refused = client.post(form_url, {"password1": new, "password2": new})
    action = BeautifulSoup(refused.content, "html.parser").select_one("main form[method=post]")
    limits("reset_password_from_key", "20/m/ip")  # a count of its own: the wait is over

    answer = client.post(action["action"], {"password1": new, "password2": new})

    assert answer.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
