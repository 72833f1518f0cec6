"""allauth's throttle on failed sign-ins counts per account and per client network, whatever
Host header a request names: five wrong passwords for one address lock that address for a few
minutes, and ten failed sign-ins a minute from one network lock the network out."""

from __future__ import annotations

import pytest

from accounts.services import user_create_verified
from core.envsettings import parse_networks

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple 42"
EMAIL = "ada@example.com"
THROTTLED = "Too many tries to sign in with this address"


@pytest.fixture
def reader():
    return user_create_verified(email=EMAIL, password=PASSWORD)


def _sign_in(client, password: str, **headers) -> str:
    response = client.post("/accounts/login/", {"login": EMAIL, "password": password}, **headers)
    return response.content.decode()


def test_varying_the_host_header_gives_no_fresh_guesses_at_an_accounts_password(client, reader):
    for port in range(8001, 8006):
        _sign_in(client, f"wrong-{port}", HTTP_HOST=f"localhost:{port}")

    page = _sign_in(client, PASSWORD, HTTP_HOST="localhost:8006")

    assert THROTTLED in page
    assert not client.session.get("_auth_user_id")


def test_readers_behind_the_sites_proxy_are_throttled_by_their_own_network(
    client, reader, settings
):
    """Ten failed sign-ins from one network, through the site's proxy, lock that network out,
    not every reader the proxy forwards: the count is by the client's network, as the site's
    other limits count (core.client.client_network)."""
    settings.TRUSTED_PROXIES = parse_networks("10.0.0.0/8")
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for guess in range(10):
        client.post(
            "/accounts/login/",
            {"login": f"nobody-{guess}@example.com", "password": "wrong"},
            HTTP_X_FORWARDED_FOR="203.0.113.9",
            **proxy,
        )

    page = _sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)

    assert client.session.get("_auth_user_id"), page
