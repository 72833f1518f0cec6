"""Signing in through a generic OpenID Connect provider, end to end, against a fake on loopback.

The provider is configured the way broadsheet/settings_accounts.py builds it from the OIDC_*
variables: that module turns them into SOCIALACCOUNT_PROVIDERS at import time, so the tests
override SOCIALACCOUNT_PROVIDERS with the same shape (see ``_providers_as_settings_build_them``).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from bs4 import BeautifulSoup
from django.contrib.auth import get_user, get_user_model
from django.core import mail

from accounts.models import Reader
from accounts.services import reader_create, user_create_verified
from accounts.tests.fake_oidc import FakeOidcProvider
from discussion.tests.readers import reauthenticate

pytestmark = pytest.mark.django_db

LOGIN_URL = "/accounts/oidc/oidc/login/"
CALLBACK_PATH = "/accounts/oidc/oidc/login/callback/"
CLIENT_ID = "broadsheet"
CLIENT_SECRET = "fake-oidc-client-secret-0123456789abcdef"


def _providers_as_settings_build_them(*, name: str, server_url: str) -> dict:
    """What settings_accounts makes of OIDC_PROVIDER_NAME, OIDC_SERVER_URL, OIDC_CLIENT_*."""
    return {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "oidc",
                    "name": name,
                    "client_id": CLIENT_ID,
                    "secret": CLIENT_SECRET,
                    "settings": {"server_url": server_url},
                }
            ]
        }
    }


@pytest.fixture
def provider(settings):
    fake = FakeOidcProvider(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        claims={
            "sub": "user-4711",
            "email": "grace@newsroom.test",
            "email_verified": True,
            "name": "Grace Hopper",
        },
    ).start()
    settings.SOCIALACCOUNT_PROVIDERS = _providers_as_settings_build_them(
        name="Newsroom Login", server_url=fake.issuer
    )
    yield fake
    fake.stop()


def _text(response) -> str:
    """The page with its runs of whitespace collapsed, as a reader would read it."""
    return " ".join(response.content.decode().split())


def _consent_at_provider(client) -> tuple[str, dict]:
    """Press the sign-in button and let the fake provider consent; returns the callback."""
    response = client.post(LOGIN_URL)
    assert response.status_code == 302
    # The browser's trip to the provider is a real HTTP request to the fake on loopback.
    at_provider = requests.get(response["Location"], allow_redirects=False, timeout=5)
    assert at_provider.status_code == 302
    back = urlsplit(at_provider.headers["Location"])
    return back.path, {k: v[0] for k, v in parse_qs(back.query).items()}


def test_a_reader_signs_in_through_openid_connect_and_gets_a_display_name(client, provider):
    path, params = _consent_at_provider(client)
    assert path == CALLBACK_PATH

    to_signup = client.get(path, params)
    assert to_signup.status_code == 302
    form_page = client.get(to_signup["Location"])
    assert 'value="Grace Hopper"' in form_page.content.decode()  # the name, suggested

    done = client.post(
        to_signup["Location"],
        {"email": "grace@newsroom.test", "display_name": "Grace Hopper"},
    )

    assert done.status_code == 302
    user = get_user(client)
    assert user.is_authenticated
    assert user.email == "grace@newsroom.test"
    assert Reader.objects.get(user=user).display_name == "Grace Hopper"


def test_a_returning_reader_is_signed_in_without_the_display_name_step(client, provider):
    path, params = _consent_at_provider(client)
    signup_url = client.get(path, params)["Location"]
    client.post(signup_url, {"email": "grace@newsroom.test", "display_name": "Grace Hopper"})
    client.post("/accounts/logout/")
    assert not get_user(client).is_authenticated

    path, params = _consent_at_provider(client)
    client.get(path, params)

    assert get_user(client).email == "grace@newsroom.test"
    assert Reader.objects.count() == 1


def test_an_email_the_provider_has_not_verified_must_be_verified_here_first(client, provider):
    provider.claims["email_verified"] = False
    path, params = _consent_at_provider(client)
    signup_url = client.get(path, params)["Location"]

    client.post(signup_url, {"email": "grace@newsroom.test", "display_name": "Grace Hopper"})

    assert not get_user(client).is_authenticated
    assert "/accounts/confirm-email/" in mail.outbox[-1].body


def test_the_suggested_display_name_avoids_one_already_taken(client, provider):
    other = user_create_verified(email="other@newsroom.test", password="pw-12345-long")
    reader_create(user=other, display_name="Grace Hopper")
    path, params = _consent_at_provider(client)
    form_page = client.get(client.get(path, params)["Location"])
    assert 'value="Grace Hopper 2"' in form_page.content.decode()


def test_a_forged_state_is_refused_and_nobody_is_signed_in(client, provider):
    path, params = _consent_at_provider(client)

    response = client.get(path, {**params, "state": "forged-state"})

    assert response.status_code == 401
    assert "Signing in with Newsroom Login could not be completed" in _text(response)
    assert provider.token_requests == 0  # the code was never even exchanged
    assert not get_user(client).is_authenticated
    assert not Reader.objects.exists()


def test_a_tampered_code_is_refused_and_nobody_is_signed_in(client, provider):
    path, params = _consent_at_provider(client)

    response = client.get(path, {**params, "code": "tampered-code"})

    assert response.status_code == 401
    assert "Signing in with Newsroom Login could not be completed" in _text(response)
    assert provider.token_requests == 1  # the provider was asked, and said no
    assert not get_user(client).is_authenticated
    assert not Reader.objects.exists()


def test_an_id_token_issued_for_another_site_is_refused(client, provider):
    provider.id_token_audience = "some-other-client"
    path, params = _consent_at_provider(client)

    response = client.get(path, params)

    assert response.status_code == 401
    assert not get_user(client).is_authenticated
    assert not Reader.objects.exists()


def _headings(response) -> tuple[str, list[str], list[str]]:
    """The page's title, its h1s and its main's buttons, as a reader reads them."""
    soup = BeautifulSoup(response.content, "html.parser")
    return (
        " ".join(soup.title.get_text().split()),
        [h1.get_text(" ", strip=True) for h1 in soup.find_all("h1")],
        [" ".join(b.get_text().split()) for b in soup.select("main button")],
    )


def test_the_page_before_going_to_the_provider_speaks_the_sites_words(client, provider, settings):
    settings.WAGTAIL_SITE_NAME = "The Broadsheet"

    title, h1s, buttons = _headings(client.get(LOGIN_URL))

    assert title == "Sign in with Newsroom Login — The Broadsheet"
    assert h1s == ["Sign in with Newsroom Login"]
    assert buttons == ["Continue to Newsroom Login"]


def test_a_reader_new_here_from_the_provider_is_asked_to_create_an_account(
    client, provider, settings
):
    settings.WAGTAIL_SITE_NAME = "The Broadsheet"
    path, params = _consent_at_provider(client)
    response = client.get(client.get(path, params)["Location"])

    title, h1s, buttons = _headings(response)

    assert title == "Create an account — The Broadsheet"
    assert h1s == ["Create an account"]
    assert buttons == ["Create account"]
    soup = BeautifulSoup(response.content, "html.parser")
    for field in soup.select("main input:not([type=hidden])"):
        assert soup.find("label", attrs={"for": field["id"]}).get_text(strip=True), field
    assert "Signup" not in _text(response) and "Sign Up" not in _text(response)


def test_a_reader_signed_in_through_the_provider_sees_it_among_their_connected_accounts(
    client, provider, settings
):
    settings.WAGTAIL_SITE_NAME = "The Broadsheet"
    path, params = _consent_at_provider(client)
    client.post(
        client.get(path, params)["Location"],
        {"email": "grace@newsroom.test", "display_name": "Grace Hopper"},
    )
    client.force_login(get_user_model().objects.get(email="grace@newsroom.test"))

    response = client.get("/accounts/3rdparty/")

    title, h1s, buttons = _headings(response)
    assert title == "Connected accounts — The Broadsheet"
    assert h1s == ["Connected accounts"]
    assert buttons == ["Disconnect the chosen account"]
    soup = BeautifulSoup(response.content, "html.parser")
    radio = soup.select_one("main input[type=radio][name=account]")
    assert "Newsroom Login" in soup.find("label", attrs={"for": radio["id"]}).get_text()
    assert [h2.get_text(strip=True) for h2 in soup.select("main h2")] == ["Connect another account"]
    assert "Account Connections" not in _text(response)


def test_connecting_the_provider_to_an_account_says_so_in_the_sites_words(client, provider):
    user = user_create_verified(email="grace@newsroom.test", password="pw-12345-long")
    reader_create(user=user, display_name="Grace Hopper")
    client.post(
        "/accounts/login/",
        {
            "login": "grace@newsroom.test",
            "password": "pw-12345-long",
            "next": "/accounts/3rdparty/",
        },
        follow=True,  # its own message ("You are signed in as ...") read there
    )
    reauthenticate(client, "pw-12345-long")  # connecting a provider asks for the password
    response = client.post(LOGIN_URL, {"process": "connect"})
    at_provider = requests.get(response["Location"], allow_redirects=False, timeout=5)
    back = urlsplit(at_provider.headers["Location"])

    done = client.get(back.path, {k: v[0] for k, v in parse_qs(back.query).items()}, follow=True)

    messages = [
        m.get_text(strip=True)
        for m in BeautifulSoup(done.content, "html.parser").select(".messages .message")
    ]
    assert messages == ["Your Newsroom Login account is connected: you can now sign in with it."]
