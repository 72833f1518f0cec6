"""allauth's pages speak the site's words, and show a form's problems as problems."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from accounts.services import reader_create, user_create_verified

pytestmark = pytest.mark.django_db


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def _text(response) -> str:
    return " ".join(_soup(response).get_text().split())


def test_the_sign_up_page_is_headed_create_an_account(client):
    response = client.get("/accounts/signup/")

    assert _soup(response).select_one("h1").get_text(strip=True) == "Create an account"
    assert "Sign Up" not in _text(response)


def test_the_forgotten_password_page_is_headed_reset_your_password(client):
    response = client.get("/accounts/password/reset/")

    assert _soup(response).select_one("h1").get_text(strip=True) == "Reset your password"
    assert "Reset My Password" not in _text(response)


def test_no_account_page_asks_readers_to_contact_us_without_a_way_to(client):
    for address in ("/accounts/password/reset/", "/accounts/signup/"):
        assert "contact us" not in _text(client.get(address)).lower(), address


def test_a_too_common_password_is_shown_as_an_error_tied_to_its_field(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "ada@example.com",
            "password1": "password",
            "password2": "password",
            "display_name": "Ada",
        },
    )

    field = _soup(response).select_one("input[name=password1]")
    assert field["aria-invalid"] == "true"
    error = _soup(response).select_one(f"#{field['id']}_error")
    assert "Many people use this password" in error.get_text()
    assert "field__error" in error["class"]
    assert f"{field['id']}_error" in field["aria-describedby"].split()


def test_a_wrong_password_at_sign_in_is_shown_as_an_error(client):
    response = client.post(
        "/accounts/login/", {"login": "nobody@example.com", "password": "not-it"}
    )

    errors = _soup(response).select_one(".form-errors[role=alert]")
    assert errors is not None and "not correct" in errors.get_text()


def test_the_way_to_sign_up_is_named_alike_in_the_masthead_and_on_the_sign_in_page(client):
    # WCAG 3.2.4: the same function, named the same on every page.
    page = _soup(client.get("/accounts/login/"))
    signup = reverse("account_signup")

    names = {
        link.get_text(strip=True)
        for link in page.select("a[href]")
        if link["href"].startswith(signup)
    }

    assert names == {"Sign up"}


def test_a_refused_new_email_is_shown_as_an_error_tied_to_its_field_which_has_focus(client):
    user = user_create_verified(email="reader@example.com", password="pw-12345-long")
    reader_create(user=user, display_name="Ada")
    client.force_login(user)
    assert "reader@example.com" in _text(client.get("/accounts/email/"))

    response = client.post("/accounts/email/", {"action_add": "", "email": "reader@example.com"})

    page = _soup(response)
    field = page.select_one("input[name=email]")
    assert page.find("label", attrs={"for": field["id"]}).get_text(strip=True) == (
        "New email address"
    )
    assert field["aria-invalid"] == "true" and field.has_attr("autofocus")
    error = page.select_one(f"#{field['id']}_error")
    assert error.get_text(strip=True) == ("This is already your email address.")
    assert "field__error" in error["class"] and error["role"] == "alert"
    assert f"{field['id']}_error" in field["aria-describedby"].split()
    assert "field--error" in field.find_parent(class_="field")["class"]


def test_a_refused_sign_in_opens_with_focus_on_its_error_box(client):
    response = client.post(
        "/accounts/login/", {"login": "nobody@example.com", "password": "not-it"}
    )

    page = _soup(response)
    assert page.select_one(".form-errors[role=alert]").has_attr("autofocus")
    assert page.select("[autofocus]") == [page.select_one(".form-errors")]


def test_a_refused_sign_up_opens_with_focus_on_the_first_field_it_refused(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "", "password1": "password", "password2": "password", "display_name": "Ada"},
    )

    first = _soup(response).select_one("[autofocus]")
    assert first["name"] == "email" and first["aria-invalid"] == "true"


def test_a_sign_up_refused_for_several_fields_gives_autofocus_to_the_first_alone(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "bad", "password1": "x", "password2": "y", "display_name": ""},
    )

    focused = _soup(response).select("[autofocus]")
    assert [field["name"] for field in focused] == ["email"]
