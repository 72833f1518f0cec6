"""The last step of signing up through a sign-in provider (the display name) counts against
allauth's throttle on sign-ups (ACCOUNT_RATE_LIMITS["signup"], per address), as the sign-up
form does: each send says whether a name is free. Past it the form comes back, 429, with the
name as typed, and nothing is saved."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user, get_user_model

from accounts.services import reader_create, user_create_verified
from accounts.tests.test_oidc_flow import _consent_at_provider, provider  # noqa: F401
from accounts.views import TOO_MANY_SIGN_UPS
from core.ratelimit import say_wait

pytestmark = pytest.mark.django_db


def test_past_the_sign_up_limit_the_name_form_comes_back_filled_in(client, provider, settings):  # noqa: F811
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/m/ip"}
    other = user_create_verified(email="other@newsroom.test", password="pw-12345-long")
    reader_create(user=other, display_name="Grace Hopper")
    path, params = _consent_at_provider(client)
    signup_url = client.get(path, params)["Location"]
    form = {"email": "grace@newsroom.test", "display_name": "Grace Hopper"}
    for _ in range(2):
        assert "That display name is taken" in client.post(signup_url, form).content.decode()

    refused = client.post(signup_url, {**form, "display_name": "Grace B. Hopper"})

    assert refused.status_code == 429 and int(refused["Retry-After"]) == 60
    page = BeautifulSoup(refused.content, "html.parser")
    assert say_wait(TOO_MANY_SIGN_UPS, 60) in page.get_text(" ", strip=True)
    assert page.select_one("input[name=display_name]")["value"] == "Grace B. Hopper"
    assert not get_user_model().objects.filter(email="grace@newsroom.test").exists()
    assert not get_user(client).is_authenticated
