"""The rest of allauth's pages a reader can open speak the site's words, in sentence case: the
page's title, its one heading and its buttons (accounts/templates/account, socialaccount)."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user
from django.core import mail
from django.http import HttpResponse
from django.template.loader import render_to_string

from accounts.adapter import ReaderAccountAdapter
from accounts.services import reader_create, user_create_verified
from discussion.tests.readers import make_reader

pytestmark = pytest.mark.django_db

SITE = "The Broadsheet"
PASSWORD = "pw-12345-long"


@pytest.fixture(autouse=True)
def _site_name(settings):
    settings.WAGTAIL_SITE_NAME = SITE


@pytest.fixture
def signed_in(client):
    """A reader signed in with an email address and a password."""
    user = user_create_verified(email="ada@example.com", password=PASSWORD)
    client.force_login(user)
    return user


class Page:
    """What a reader meets on a page: its title, its headings, its buttons, its text."""

    def __init__(self, response) -> None:
        assert response.status_code == 200, response.status_code
        self.soup = BeautifulSoup(response.content, "html.parser")
        self.title = " ".join(self.soup.title.get_text().split())
        self.h1s = [h1.get_text(" ", strip=True) for h1 in self.soup.find_all("h1")]
        self.buttons = [
            " ".join(button.get_text().split())
            for button in self.soup.select("main button, main a.button")
        ]
        self.text = " ".join(self.soup.get_text().split())

    def form_with_button(self, name: str):
        button = next(b for b in self.soup.select("main button") if b.get_text(strip=True) == name)
        return button.find_parent("form")

    def assert_headed(self, words: str) -> None:
        """Titled and headed with the same words, by one h1."""
        assert self.title == f"{words} — {SITE}"
        assert self.h1s == [words]

    def assert_fields_labelled(self) -> None:
        form_fields = self.soup.select(
            "main input:not([type=hidden]):not([type=radio]), main select, main textarea"
        )
        for field in form_fields:
            label = self.soup.find("label", attrs={"for": field.get("id")})
            assert label is not None and label.get_text(strip=True), field


def test_a_signed_in_reader_who_opens_sign_out_is_asked_in_the_sites_words(client, signed_in):
    page = Page(client.get("/accounts/logout/"))

    page.assert_headed("Sign out")
    assert page.buttons == ["Sign out"]
    assert "Sign Out" not in page.text


def test_pressing_sign_out_on_the_sign_out_page_signs_the_reader_out(client, signed_in):
    form = Page(client.get("/accounts/logout/")).form_with_button("Sign out")
    fields = {field["name"]: field.get("value", "") for field in form.select("input[name]")}

    response = client.post(form["action"], fields)

    assert response.status_code == 302
    assert not get_user(client).is_authenticated


def test_the_change_password_page_is_headed_change_your_password(client, signed_in):
    page = Page(client.get("/accounts/password/change/"))

    page.assert_headed("Change your password")
    assert page.buttons[-1] == "Change password"
    assert {field["name"] for field in page.soup.select("main input[type=password]")} == {
        "oldpassword",
        "password1",
        "password2",
    }
    page.assert_fields_labelled()
    assert "Change Password" not in page.text


def test_pressing_change_password_changes_it(client, signed_in):
    form = Page(client.get("/accounts/password/change/")).form_with_button("Change password")
    fields = {field["name"]: field.get("value", "") for field in form.select("input[name]")}
    new = "a-new-pw-98765-long"

    response = client.post(
        form["action"], {**fields, "oldpassword": PASSWORD, "password1": new, "password2": new}
    )

    assert response.status_code == 302
    signed_in.refresh_from_db()
    assert signed_in.check_password(new)


def test_a_reader_without_a_password_is_asked_to_choose_one(client):
    """A reader who came through single sign-on has no password (user_create_verified)."""
    user = user_create_verified(email="sso@example.com")
    client.force_login(user)

    response = client.get("/accounts/password/change/", follow=True)

    assert response.redirect_chain[-1][0] == "/accounts/password/set/"
    page = Page(response)
    page.assert_headed("Choose a password")
    assert page.buttons[-1] == "Save the password"
    page.assert_fields_labelled()
    assert "Set Password" not in page.text


def test_the_page_asking_a_reader_for_their_password_again_is_headed_confirm_it_is_you(
    client, signed_in
):
    page = Page(client.get("/accounts/reauthenticate/"))

    page.assert_headed("Confirm it is you")
    assert page.buttons[-1] == "Confirm"
    assert page.soup.select_one("main input[type=password][name=password]") is not None
    page.assert_fields_labelled()
    assert "Confirm Access" not in page.text
    assert "reauthenticate" not in page.text.lower()


def test_pressing_confirm_with_the_password_lets_the_reader_on(client, signed_in):
    form = Page(client.get("/accounts/reauthenticate/")).form_with_button("Confirm")
    fields = {field["name"]: field.get("value", "") for field in form.select("input[name]")}

    response = client.post(form["action"], {**fields, "password": PASSWORD})

    assert response.status_code == 302


def test_an_account_that_is_switched_off_is_told_it_cannot_sign_in(client):
    user = user_create_verified(email="gone@example.com", password=PASSWORD)
    user.is_active = False  # unticked in the admin
    user.save(update_fields=["is_active"])

    response = client.post(
        "/accounts/login/", {"login": "gone@example.com", "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0] == "/accounts/inactive/"
    page = Page(response)

    page.assert_headed("This account cannot sign in")
    assert "Account Inactive" not in page.text


def test_sign_up_when_closed_says_so_in_the_sites_words(client, monkeypatch):
    # Nothing in the site closes sign-up today; a subclass of the adapter would, like this.
    monkeypatch.setattr(ReaderAccountAdapter, "is_open_for_signup", lambda self, request: False)

    page = Page(client.get("/accounts/signup/"))

    page.assert_headed("Sign-up is closed")
    assert "Sign Up Closed" not in page.text


def test_the_connected_accounts_page_is_headed_in_the_sites_words(client, signed_in):
    page = Page(client.get("/accounts/3rdparty/"))

    page.assert_headed("Connected accounts")
    assert "Account Connections" not in page.text
    assert "Third-Party" not in page.text


def test_a_reader_who_cancelled_signing_in_elsewhere_is_told_so(client):
    page = Page(client.get("/accounts/3rdparty/login/cancelled/"))

    page.assert_headed("Sign-in cancelled")
    assert page.soup.select_one("main a[href='/accounts/login/']").get_text(strip=True) == (
        "Sign in"
    )
    assert "Login Cancelled" not in page.text


def test_a_reader_without_a_password_is_offered_to_choose_one_on_their_profile(client):
    """The profile's link names the page it opens, as a reader with a password is offered to
    change it there."""
    user = user_create_verified(email="sso@example.com")
    reader_create(user=user, display_name="Grace Hopper")
    client.force_login(user)

    profile = BeautifulSoup(client.get(f"/readers/{user.reader.pk}/").content, "html.parser")

    assert profile.find("a", href="/accounts/password/set/").get_text() == "Choose a password"
    assert profile.find("a", href="/accounts/password/change/") is None


def test_a_reader_with_a_password_is_offered_to_change_it_on_their_profile(client):
    user = make_reader("Ada Lovelace")
    client.force_login(user)

    profile = BeautifulSoup(client.get(f"/readers/{user.reader.pk}/").content, "html.parser")

    assert profile.find("a", href="/accounts/password/change/").get_text() == "Change password"


def test_the_page_asking_for_a_confirmed_address_speaks_the_sites_words(rf, signed_in):
    """allauth's verified_email_required decorator draws it; no view of the site uses that
    decorator today, so the page is drawn here as the decorator draws it."""
    request = rf.get("/somewhere/")
    request.user = signed_in
    request.session = {}

    html = render_to_string("account/verified_email_required.html", request=request)

    page = Page(HttpResponse(html))
    page.assert_headed("Confirm your email address")
    assert page.soup.select_one("main a[href='/accounts/email/']").get_text(strip=True) == (
        "Change your email address"
    )
    assert "Verify Your Email Address" not in page.text


def _labels(page: Page) -> list[str]:
    return [label.get_text(strip=True) for label in page.soup.select("main label")]


def test_the_change_password_fields_are_labelled_in_sentence_case(client, signed_in):
    page = Page(client.get("/accounts/password/change/"))

    assert _labels(page) == ["Current password", "New password", "New password (again)"]
    assert page.soup.select_one("main input[name=oldpassword]")["placeholder"] == (
        "Current password"
    )


def test_the_new_password_fields_behind_a_reset_link_are_labelled_in_sentence_case(
    client, signed_in
):
    client.logout()
    client.post("/accounts/password/reset/", {"email": signed_in.email})
    link = re.search(r"https?://\S+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body)

    page = Page(client.get(link.group(1), follow=True))

    assert page.h1s == ["Choose a new password"]
    assert _labels(page) == ["New password", "New password (again)"]


@pytest.fixture
def a_sign_in_provider(settings):
    """A generic OpenID Connect provider, as settings_accounts builds it from OIDC_*; the pages
    list it without ever asking the provider anything."""
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "oidc",
                    "name": "Newsroom Login",
                    "client_id": "broadsheet",
                    "secret": "not-used-by-these-pages",
                    "settings": {"server_url": "https://login.newsroom.test"},
                }
            ]
        }
    }


def _heading_over_the_providers(page: Page) -> str:
    provider_link = page.soup.select_one("main a[href^='/accounts/oidc/oidc/login/']")
    return provider_link.find_previous("h2").get_text(" ", strip=True)


def test_the_sign_in_page_offers_a_provider_as_another_account_to_sign_in_with(
    client, a_sign_in_provider
):
    page = Page(client.get("/accounts/login/"))

    assert _heading_over_the_providers(page) == "Or sign in with another account"
    assert "third-party" not in page.text


def test_the_sign_up_page_offers_a_provider_as_another_account_to_sign_up_with(
    client, a_sign_in_provider
):
    page = Page(client.get("/accounts/signup/"))

    assert _heading_over_the_providers(page) == "Or sign up with another account"
    assert "third-party" not in page.text


def test_a_signed_in_reader_asking_for_a_reset_link_is_told_who_they_are_signed_in_as(client):
    """As a reader is who follows "Forgotten your password?" from "Change your password"."""
    client.force_login(make_reader("Ada Lovelace"))

    page = Page(client.get("/accounts/password/reset/"))

    assert page.soup.select_one("main .notice").get_text(strip=True) == (
        "You are signed in as Ada Lovelace."
    )
    assert "logged in" not in page.text


def test_a_signed_in_reader_asking_for_a_reset_link_is_not_offered_to_sign_in(client):
    """The page's "Remembered it? Sign in." is for a reader who is signed out."""
    client.force_login(make_reader("Ada Lovelace"))

    page = Page(client.get("/accounts/password/reset/"))

    assert "Remembered it?" not in page.text
    assert page.soup.select("main a[href^='/accounts/login/']") == []
