"""What allauth's forms say when they refuse what a reader typed, in the site's words
(ReaderAccountAdapter.error_messages), not allauth's ("Please type your current password." to a
reader who typed a wrong one)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from discussion.tests.readers import make_reader

pytestmark = pytest.mark.django_db

PASSWORD = "pw-12345"  # make_reader's


def _soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code  # the form again
    return BeautifulSoup(response.content, "html.parser")


def _error_by(response, name: str) -> str:
    """The error the page shows by the named box."""
    soup = _soup(response)
    box = soup.select_one(f"main input[name={name}]")
    return " ".join(soup.select_one(f"#{box['id']}_error").get_text().split())


def test_a_refused_sign_in_says_the_address_or_the_password_is_not_correct(client):
    make_reader("Ada Lovelace", email="ada@example.com")

    response = client.post("/accounts/login/", {"login": "ada@example.com", "password": "not-it"})

    errors = _soup(response).select_one("main .form-errors")
    assert " ".join(errors.get_text().split()) == (
        "The email address or the password is not correct: check both and try again."
    )


def test_a_wrong_current_password_is_refused_as_not_the_current_password(client):
    client.force_login(make_reader("Ada Lovelace"))
    new = "a-new-pw-98765-long"

    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": "not-it", "password1": new, "password2": new},
    )

    assert _error_by(response, "oldpassword") == "That is not your current password."


def test_a_wrong_password_when_confirming_it_is_you_is_refused_as_not_the_password(client):
    client.force_login(make_reader("Ada Lovelace"))

    response = client.post("/accounts/reauthenticate/", {"password": "not-it"})

    assert _error_by(response, "password") == "That is not your password."
