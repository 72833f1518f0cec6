"""The rules for a new password, listed under the box and said by it when a password is refused,
are the site's sentences (accounts.password_rules), not Django's ("Your password can’t be
entirely numeric.")."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from discussion.tests.readers import make_reader

pytestmark = pytest.mark.django_db

OLD_PASSWORD = "pw-12345"  # make_reader's


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def _error_by(response, name: str) -> str:
    """The error the page shows by the named box, tied to it (aria-describedby)."""
    assert response.status_code == 200, response.status_code  # the form again, not a redirect
    soup = _soup(response)
    box = soup.select_one(f"main input[name={name}]")
    error = soup.select_one(f"#{box['id']}_error")
    assert error["id"] in box["aria-describedby"].split()
    return " ".join(error.get_text().split())


def _sign_up(client, *, password: str, email: str = "ada@example.com", name: str = "Ada"):
    return client.post(
        "/accounts/signup/",
        {"email": email, "display_name": name, "password1": password, "password2": password},
    )


def _change_password(client, *, new: str):
    return client.post(
        "/accounts/password/change/",
        {"oldpassword": OLD_PASSWORD, "password1": new, "password2": new},
    )


def test_the_sign_up_page_lists_the_password_rules_in_the_sites_words(client):
    soup = _soup(client.get("/accounts/signup/"))
    box = soup.select_one("main input[name=password1]")

    help_text = soup.select_one(f"#{box['aria-describedby']}")

    assert [item.get_text() for item in help_text.select("li")] == [
        "It must be at least 8 characters long.",
        "It must not be too like your email address or your name.",
        "It must not be a password many people use.",
        "It must not be numbers only.",
    ]


def test_a_short_password_at_sign_up_is_refused_in_the_sites_words(client):
    response = _sign_up(client, password="kx7#q")

    assert _error_by(response, "password1") == (
        "This password is too short: it must be at least 8 characters long."
    )


def test_a_password_like_the_email_address_at_sign_up_is_refused_in_the_sites_words(client):
    response = _sign_up(client, email="margaret.hamilton@example.com", password="margarethamilton")

    assert _error_by(response, "password1") == (
        "This password is too like your email address or your name."
    )


def test_a_password_many_people_use_is_refused_in_the_sites_words(client):
    client.force_login(make_reader("Ada Lovelace"))

    response = _change_password(client, new="iloveyou")

    assert _error_by(response, "password1") == (
        "Many people use this password, so it is easy to guess: choose another."
    )


def test_a_password_of_numbers_only_is_refused_in_the_sites_words(client):
    # An address of letters: make_reader's own (reader<N>@...) could be found too like the
    # password, and a second message added, depending on the order the tests ran in.
    client.force_login(make_reader("Ada Lovelace", email="ada.lovelace@example.com"))

    response = _change_password(client, new="40917263548")

    assert _error_by(response, "password1") == (
        "This password is numbers only: add some letters or other characters."
    )


def test_a_password_like_the_account_name_the_site_made_up_is_not_refused_for_it(client):
    # Accounts nobody named (publisher sign-on, the demo reader) get a random user name the
    # reader never sees: "too like your email address or your name" would be untrue of it.
    user = make_reader("Ada Lovelace", email="ada.lovelace@example.com")
    user.username = "reader-409172635481"
    user.save(update_fields=["username"])
    client.force_login(user)

    response = _change_password(client, new="k409172635481q")

    assert response.status_code == 302


def test_an_account_the_site_named_still_may_not_take_a_password_like_its_email_address(client):
    client.force_login(make_reader("Grace Hopper", email="grace.hopper@example.com"))

    response = _change_password(client, new="gracehopper")

    assert _error_by(response, "password1") == (
        "This password is too like your email address or your name."
    )
