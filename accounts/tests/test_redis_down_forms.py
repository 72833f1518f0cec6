"""With Redis (the shared cache, REDIS_URL) stopped, allauth's throttles cannot count, and allauth
took that for "over the limit": sign-in, sign-up and password reset answered its bare "429 Too
Many Requests" page, and the change of email address or password (and the new password behind a
reset email's link) the site's whole "Try again in a minute" page, the reader's typed text lost.
They now draw their form again, with what the reader typed (never a password) and why nothing was
sent, as a 503 with Retry-After, as the comment form does. Redis is faked only by a port on
loopback that nobody listens at."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from accounts.services import user_create_verified
from core import cache as shared_cache

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple 42"
NOT_NOW = "The site cannot take changes for a moment"


@pytest.fixture
def redis_refusing(settings, monkeypatch):
    monkeypatch.setattr(shared_cache, "_quiet_until", 0.0)
    monkeypatch.setattr(shared_cache, "_warned_at", -3600.0)
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "core.cache.SharedRedisCache", "LOCATION": "redis://127.0.0.1:1/0"},
    }
    shared_cache._clients.clear()
    yield
    shared_cache._clients.clear()


def _form(answer) -> BeautifulSoup:
    return BeautifulSoup(answer.content, "html.parser").select_one("main form[method=post]")


def _form_with(answer, button: str) -> BeautifulSoup:
    """The page's form that holds the button named ``button``."""
    soup = BeautifulSoup(answer.content, "html.parser")
    return soup.select_one(f"main form[method=post]:has(button[name={button}])")


def test_a_sign_in_keeps_the_address_typed_and_says_why(redis_refusing):
    user_create_verified(email="ada@example.com", password=PASSWORD)
    client = Client()

    answer = client.post("/accounts/login/", {"login": "ada@example.com", "password": PASSWORD})

    assert answer.status_code == 503
    assert int(answer["Retry-After"]) > 0
    form = _form(answer)
    assert form.select_one("input[name=login]")["value"] == "ada@example.com"
    assert not form.select_one("input[name=password]").get("value")
    assert NOT_NOW in form.get_text()
    assert not client.session.get("_auth_user_id")


def test_a_sign_up_keeps_what_was_typed_and_makes_no_account(redis_refusing):
    answer = Client().post(
        "/accounts/signup/",
        {
            "email": "new@example.com",
            "display_name": "Ada Lovelace",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert answer.status_code == 503
    form = _form(answer)
    assert form.select_one("input[name=email]")["value"] == "new@example.com"
    assert form.select_one("input[name=display_name]")["value"] == "Ada Lovelace"
    assert NOT_NOW in form.get_text()
    assert not get_user_model().objects.filter(email="new@example.com").exists()


def test_a_password_reset_keeps_the_address_and_sends_nothing(redis_refusing):
    user_create_verified(email="ada@example.com", password=PASSWORD)

    answer = Client().post("/accounts/password/reset/", {"email": "ada@example.com"})

    assert answer.status_code == 503
    form = _form(answer)
    assert form.select_one("input[name=email]")["value"] == "ada@example.com"
    assert NOT_NOW in form.get_text()
    assert mail.outbox == []


def test_a_change_of_email_keeps_the_new_address_typed_and_changes_nothing(redis_refusing):
    # It answered the site's whole "Try again in a minute" page: the address typed was lost.
    user = user_create_verified(email="ada@example.com", password=PASSWORD)
    client = Client()
    client.force_login(user)

    answer = client.post("/accounts/email/", {"email": "ada.new@example.com", "action_add": ""})

    assert answer.status_code == 503
    assert int(answer["Retry-After"]) > 0
    form = _form_with(answer, "action_add")
    assert form.select_one("input[name=email]")["value"] == "ada.new@example.com"
    assert f"{NOT_NOW}, and nothing was changed" in form.select_one("[role=alert]").get_text()
    assert list(EmailAddress.objects.values_list("email", flat=True)) == ["ada@example.com"]
    assert mail.outbox == []


def test_cancelling_a_change_of_email_says_nothing_was_changed_and_keeps_it(redis_refusing):
    user = user_create_verified(email="ada@example.com", password=PASSWORD)
    EmailAddress.objects.create(user=user, email="ada.new@example.com", verified=False)
    client = Client()
    client.force_login(user)

    answer = client.post("/accounts/email/", {"email": "ada.new@example.com", "action_remove": ""})

    assert answer.status_code == 503
    # The address waiting to be confirmed was not typed in the form's box: not put there.
    form = _form_with(answer, "action_add")
    assert not form.select_one("input[name=email]").get("value")
    assert NOT_NOW in form.select_one("[role=alert]").get_text()
    assert EmailAddress.objects.filter(email="ada.new@example.com").exists()


def test_a_change_of_password_comes_back_in_place_with_no_password_in_it(redis_refusing):
    user = user_create_verified(email="ada@example.com", password=PASSWORD)
    client = Client()
    client.force_login(user)
    new = "another long pass 77"

    answer = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
    )

    assert answer.status_code == 503
    assert int(answer["Retry-After"]) > 0
    form = _form(answer)
    assert "Your password was not changed." in form.select_one("[role=alert]").get_text()
    for name in ("oldpassword", "password1", "password2"):
        assert not form.select_one(f"input[name={name}]").get("value")
    assert PASSWORD not in answer.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_confirm_it_is_you_comes_back_empty_and_checks_nothing(redis_refusing):
    user = user_create_verified(email="ada@example.com", password=PASSWORD)
    client = Client()
    client.force_login(user)

    answer = client.post("/accounts/reauthenticate/", {"password": PASSWORD})

    assert answer.status_code == 503
    assert int(answer["Retry-After"]) > 0
    form = _form(answer)
    assert "Your password was not checked." in form.select_one("[role=alert]").get_text()
    assert not form.select_one("input[name=password]").get("value")
    assert PASSWORD not in answer.content.decode()
    records = client.session.get("account_authentication_methods", [])
    assert not any(record.get("reauthenticated") for record in records)


def test_choosing_a_first_password_comes_back_empty_and_sets_none(redis_refusing):
    user = user_create_verified(email="ada@example.com", password=PASSWORD)
    user.set_unusable_password()
    user.save()
    client = Client()
    client.force_login(user)
    new = "another long pass 77"

    answer = client.post("/accounts/password/set/", {"password1": new, "password2": new})

    assert answer.status_code == 503
    assert int(answer["Retry-After"]) > 0
    form = _form(answer)
    assert "Your password was not set." in form.select_one("[role=alert]").get_text()
    assert not any(box.get("value") for box in form.select("input[type=password]"))
    assert new not in answer.content.decode()
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_a_new_password_from_a_reset_link_comes_back_empty_and_is_not_saved(request):
    user = user_create_verified(email="ada@example.com", password=PASSWORD)
    client = Client()
    client.post("/accounts/password/reset/", {"email": "ada@example.com"})
    link = re.search(r"https?://\S+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body)
    form_url = client.get(link.group(1))["Location"]
    request.getfixturevalue("redis_refusing")  # Redis stops once the link is opened
    new = "another long pass 77"

    answer = client.post(form_url, {"password1": new, "password2": new})

    assert answer.status_code == 503
    assert int(answer["Retry-After"]) > 0
    assert answer["X-Refused"] == "unreachable"
    form = _form(answer)
    assert "Your password was not changed." in form.select_one("[role=alert]").get_text()
    assert NOT_NOW in form.get_text()
    assert not any(box.get("value") for box in form.select("input[type=password]"))
    assert new not in answer.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
