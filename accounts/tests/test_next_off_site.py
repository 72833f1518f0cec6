"""A ``next`` that leads off the site (bad-input.md, "Requests") is never followed from the
reader's sign-in or sign-out: each falls back to the front page (publisher sign-on's own are in
test_sso.py, the moderation queue's in moderation/tests/test_admin.py)."""

from __future__ import annotations

import pytest

from discussion.tests.readers import make_reader

pytestmark = pytest.mark.django_db

OFF_SITE = ["//evil.example/", "/\\evil.example/", "https:evil.example", "http://evil.example/"]


@pytest.mark.parametrize("next_url", OFF_SITE)
def test_signing_in_with_a_next_off_the_site_lands_on_the_site(client, next_url):
    make_reader("Ada", email="ada@example.com")

    response = client.post(
        "/accounts/login/", {"login": "ada@example.com", "password": "pw-12345", "next": next_url}
    )

    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("next_url", OFF_SITE)
def test_signing_out_with_a_next_off_the_site_lands_on_the_site(client, next_url):
    client.force_login(make_reader("Ada"))

    response = client.post("/accounts/logout/", {"next": next_url})

    assert response.status_code == 302
    assert response["Location"] == "/"
