"""Accounts: sign up, verify by the emailed link, sign in, reset, with no enumeration."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from accounts.models import Reader

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple 42"


def _sign_up(client, *, email="ada@example.com", name="Ada", password=PASSWORD):
    return client.post(
        "/accounts/signup/",
        {"email": email, "password1": password, "password2": password, "display_name": name},
    )


def _link(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_sign_up_makes_a_reader_with_an_argon2_password_and_sends_a_verification_link(client):
    response = _sign_up(client)
    assert response.status_code == 302
    user = get_user_model().objects.get(email="ada@example.com")
    assert user.password.startswith("argon2")
    assert Reader.objects.get(user=user).display_name == "Ada"
    assert len(mail.outbox) == 1
    assert "/accounts/confirm-email/" in _link(mail.outbox[0])


def test_the_verification_link_verifies_only_on_post(client):
    _sign_up(client)
    link = _link(mail.outbox[0])
    client.get(link)  # a mail scanner following the link
    assert not EmailAddress.objects.get(email="ada@example.com").verified
    client.post(link)
    assert EmailAddress.objects.get(email="ada@example.com").verified


def test_an_unverified_reader_cannot_sign_in(client):
    _sign_up(client)
    client.logout()
    client.post("/accounts/login/", {"login": "ada@example.com", "password": PASSWORD})
    response = client.get("/readers/me/export/")
    assert response.status_code == 302  # sent to the login page


def test_a_verified_reader_signs_in_and_out(client):
    _sign_up(client)
    client.post(_link(mail.outbox[0]))
    client.logout()
    response = client.post("/accounts/login/", {"login": "ada@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id")
    client.post("/accounts/logout/")
    assert not client.session.get("_auth_user_id")


def test_a_weak_password_is_refused_with_a_message_and_no_account(client):
    response = _sign_up(client, password="password")
    assert response.status_code == 200
    assert "Many people use this password" in response.content.decode()
    assert not get_user_model().objects.filter(email="ada@example.com").exists()


def test_a_look_alike_display_name_is_refused_at_sign_up(client):
    _sign_up(client)
    response = _sign_up(client, email="eve@example.com", name="ADA")
    assert b"taken" in response.content
    assert not get_user_model().objects.filter(email="eve@example.com").exists()


def test_a_members_name_with_punctuation_added_is_refused_at_sign_up(client):
    _sign_up(client)
    response = _sign_up(client, email="eve@example.com", name="Ada.")
    assert b"only in punctuation, symbols or spaces" in response.content
    assert not get_user_model().objects.filter(email="eve@example.com").exists()


def test_signing_up_with_a_known_email_answers_like_a_new_one(client, settings):
    first = _sign_up(client)
    client.logout()
    second = _sign_up(client, name="Someone Else")
    assert second.status_code == first.status_code == 302
    assert second["Location"] == first["Location"]
    assert get_user_model().objects.filter(email="ada@example.com").count() == 1


def test_password_reset_answers_the_same_for_unknown_addresses(client):
    _sign_up(client)
    client.logout()
    mail.outbox.clear()
    known = client.post("/accounts/password/reset/", {"email": "ada@example.com"})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def _verified_reader_asks_for_a_reset_link(client) -> str:
    """Ada signs up, verifies, signs out and asks for a password reset: the emailed link."""
    _sign_up(client)
    client.post(_link(mail.outbox[0]))
    client.logout()
    mail.outbox.clear()
    client.post("/accounts/password/reset/", {"email": "ada@example.com"})
    return _link(mail.outbox[0])


def test_a_password_reset_link_sets_a_new_password(client):
    link = _verified_reader_asks_for_a_reset_link(client)
    form_url = client.get(link)["Location"]
    new = "another horse battery staple 43"
    client.post(form_url, {"password1": new, "password2": new})
    assert client.login(username=get_user_model().objects.get().username, password=new)


def test_a_mail_scanner_fetching_the_reset_link_changes_nothing_and_leaves_it_usable(client):
    link = _verified_reader_asks_for_a_reset_link(client)
    user = get_user_model().objects.get()
    before = user.password

    scanner = client.__class__()
    form_url = scanner.get(link)["Location"]
    scanner.get(form_url)  # the scanner follows the redirect to the form, and stops there

    user.refresh_from_db()
    assert user.password == before
    assert user.check_password(PASSWORD)
    # The reader's own click still works.
    new = "another horse battery staple 43"
    client.post(client.get(link)["Location"], {"password1": new, "password2": new})
    assert client.login(username=user.username, password=new)


@pytest.mark.parametrize("elsewhere", ["//evil.example/", "/\\evil.example/", "https:evil.example"])
def test_signing_in_with_next_pointing_elsewhere_lands_on_this_site(client, elsewhere):
    _sign_up(client)
    client.post(_link(mail.outbox[0]))
    client.logout()
    response = client.post(
        "/accounts/login/",
        {"login": "ada@example.com", "password": PASSWORD, "next": elsewhere},
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/")
    assert not response["Location"].startswith(("//", "/\\"))
    assert "evil.example" not in response["Location"]


def test_failed_logins_are_throttled(client):
    _sign_up(client)
    client.logout()
    for _ in range(5):
        client.post("/accounts/login/", {"login": "ada@example.com", "password": "wrong"})
    response = client.post("/accounts/login/", {"login": "ada@example.com", "password": PASSWORD})
    assert "Too many tries to sign in with this address" in response.content.decode()
    assert not client.session.get("_auth_user_id")


def test_the_sign_up_page_fits_the_site_layout(client):
    response = client.get("/accounts/signup/")
    html = response.content.decode()
    assert 'class="masthead"' in html
    assert "Display name" in html


def test_a_display_name_sent_in_bytes_that_are_not_utf8_is_refused_and_no_account_made(client):
    """A browser or script that sends a name in another encoding (Latin-1's "é" is the byte
    0xE9) has it read with U+FFFD for each byte: "Ren�" is not the name anyone chose."""
    response = client.post(
        "/accounts/signup/",
        f"email=ada%40example.com&display_name=Ren%E9&password1={PASSWORD}&password2={PASSWORD}",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert "not valid text (UTF-8)" in response.content.decode()
    assert not get_user_model().objects.filter(email="ada@example.com").exists()


def test_a_reset_link_opened_by_a_mail_scanner_changes_nothing_and_still_works_for_the_reader(
    client,
):
    """bad-input.md: a link in an email fetched by a scanner's GET changes nothing until a
    POST. The scanner's fetches neither change the password nor spend the link."""
    _sign_up(client)
    client.post(_link(mail.outbox[0]))  # the address verified
    client.logout()
    client.post("/accounts/password/reset/", {"email": "ada@example.com"})
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", mail.outbox[-1].body)[0]
    scanner = Client()
    for _ in range(2):
        followed = scanner.get(link, follow=True)
        assert followed.status_code == 200
    user = get_user_model().objects.get(email="ada@example.com")
    assert user.check_password(PASSWORD)

    form_url = client.get(link)["Location"]
    new = "a-new-pw-98765-long"
    client.post(form_url, {"password1": new, "password2": new})

    user.refresh_from_db()
    assert user.check_password(new)
