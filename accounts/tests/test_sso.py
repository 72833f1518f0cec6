"""Publisher sign-on: the documented example signs a reader in; bad tokens are refused."""

from __future__ import annotations

import re
import time
import uuid
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest

from accounts.models import Reader
from core.envsettings import parse_networks

pytestmark = pytest.mark.django_db

SECRET = "a-shared-secret-long-enough-for-hs256-0123456789"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "sso.md"


@pytest.fixture(autouse=True)
def _sso_on(settings):
    settings.SSO_SHARED_SECRET = SECRET


def _documented_example():
    code = re.search(r"```python\n(.*?)```", DOCS.read_text(), re.S).group(1)
    namespace: dict = {}
    exec(code, namespace)  # noqa: S102 - our own documentation, run to prove it works
    return namespace["broadsheet_sign_on_url"]


def _token(**overrides) -> str:
    now = int(time.time())
    claims = {
        "sub": "42",
        "email": "sub@example.com",
        "name": "Subscriber",
        "iat": now,
        "exp": now + 120,
        "jti": uuid.uuid4().hex,
    }
    claims.update(overrides)
    claims = {key: value for key, value in claims.items() if value is not None}
    return jwt.encode(claims, SECRET, algorithm="HS256")


def _sign_on(client, token: str):
    client.get("/accounts/sso/", {"token": token})
    return client.post("/accounts/sso/", {"token": token, "next": "/"})


def test_a_token_made_with_the_documented_example_signs_a_reader_in(client):
    url = _documented_example()(
        base_url="http://testserver",
        secret=SECRET,
        user_id=7,
        email="reader@example.com",
        name="Host Reader",
        next_path="/somewhere/",
    )
    query = parse_qs(urlsplit(url).query)
    confirm = client.get("/accounts/sso/", query)
    assert b"Continue as" in confirm.content and b"Host Reader" in confirm.content
    response = client.post("/accounts/sso/", {"token": query["token"][0], "next": "/somewhere/"})
    assert response.status_code == 302 and response["Location"] == "/somewhere/"
    reader = Reader.objects.get(sso_subject="7")
    assert reader.display_name == "Host Reader"
    assert int(client.session["_auth_user_id"]) == reader.user_id


def test_opening_the_link_alone_signs_no_one_in(client):
    client.get("/accounts/sso/", {"token": _token()})
    assert "_auth_user_id" not in client.session
    assert not Reader.objects.exists()


def test_a_second_token_for_the_same_subject_updates_the_reader(client):
    _sign_on(client, _token())
    client.logout()
    _sign_on(client, _token(name="Renamed", email="new@example.com"))
    reader = Reader.objects.get(sso_subject="42")
    assert reader.display_name == "Renamed"
    assert reader.user.email == "new@example.com"
    assert Reader.objects.count() == 1


def test_an_expired_token_is_refused(client):
    past = int(time.time()) - 600
    response = _sign_on(client, _token(iat=past, exp=past + 60))
    assert response.status_code == 400
    assert b"has expired" in response.content
    assert "_auth_user_id" not in client.session


def test_a_replayed_token_is_refused(client):
    token = _token()
    _sign_on(client, token)
    client.logout()
    response = _sign_on(client, token)
    assert response.status_code == 400
    assert b"already been used" in response.content
    assert "_auth_user_id" not in client.session


def test_a_used_token_is_refused_already_on_the_confirmation_page(client):
    token = _token()
    _sign_on(client, token)
    client.logout()
    response = client.get("/accounts/sso/", {"token": token})
    assert response.status_code == 400 and b"already been used" in response.content


def test_a_tampered_token_is_refused(client):
    header, payload, signature = _token().split(".")
    forged = jwt.encode(
        {"sub": "1", "email": "x@example.com"},
        "another-secret-that-is-long-enough-0123456789",
        algorithm="HS256",
    )
    tampered = f"{header}.{forged.split('.')[1]}.{signature}"
    response = _sign_on(client, tampered)
    assert response.status_code == 400
    assert b"signature does not match" in response.content


def test_a_token_signed_with_another_secret_is_refused(client):
    token = jwt.encode(
        {"sub": "1", "email": "a@example.com", "name": "A", "iat": 1, "exp": 2, "jti": "j"},
        "not-the-secret-0123456789-0123456789",
        algorithm="HS256",
    )
    assert b"signature does not match" in _sign_on(client, token).content


@pytest.mark.parametrize("token", ["", "not-a-token", "a.b.c"])
def test_a_malformed_token_is_refused(client, token):
    response = _sign_on(client, token)
    assert response.status_code == 400
    assert b"malformed" in response.content


def test_a_token_missing_a_claim_is_refused(client):
    response = _sign_on(client, _token(jti=None))
    assert b"missing the &#x27;jti&#x27; claim" in response.content


def test_a_token_that_lives_too_long_is_refused(client):
    now = int(time.time())
    response = _sign_on(client, _token(iat=now, exp=now + 86400))
    assert b"lives too long" in response.content


def test_sign_on_is_off_without_a_shared_secret(client, settings):
    settings.SSO_SHARED_SECRET = ""
    assert b"not switched on" in _sign_on(client, _token()).content


@pytest.mark.parametrize("elsewhere", ["//evil.example/", "/\\evil.example/", "https:evil.example"])
def test_next_pointing_elsewhere_falls_back_to_the_home_page(client, elsewhere):
    token = _token()
    response = client.post("/accounts/sso/", {"token": token, "next": elsewhere})
    assert response["Location"] == "/"


def test_sign_on_attempts_are_limited_per_reader_address_behind_the_sites_proxy(client, settings):
    # Every request reaches the app from the proxy; the limit counts each reader's own address
    # (it counted the proxy's before, so 30 sign-ons a minute site-wide locked everyone out).
    settings.TRUSTED_PROXIES = parse_networks("10.0.0.0/8")

    def attempt(reader_address: str):
        return client.get(
            "/accounts/sso/",
            {"token": "not-a-token"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=reader_address,
        )

    assert [attempt("198.51.100.1").status_code for _ in range(30)] == [400] * 30
    refused = attempt("198.51.100.1")
    assert refused.status_code == 429 and b"Too many sign-on attempts" in refused.content
    assert attempt("203.0.113.7").status_code == 400  # another reader is still heard


def test_past_sso_rate_even_a_good_token_signs_no_one_in(client, settings):
    settings.SSO_RATE = "2/m"
    token = _token()
    client.get("/accounts/sso/", {"token": token})
    client.get("/accounts/sso/", {"token": token})

    refused = client.post("/accounts/sso/", {"token": token, "next": "/"})

    assert refused.status_code == 429 and 1 <= int(refused["Retry-After"]) <= 60
    assert b"Too many sign-on attempts" in refused.content
    assert "_auth_user_id" not in client.session
    assert not Reader.objects.filter(sso_subject="42").exists()
