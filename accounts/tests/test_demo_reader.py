"""The demo loader's reader account: verified, printed once, the same on every run."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress

from accounts.services import reader_ensure_demo

pytestmark = pytest.mark.django_db


def test_the_demo_reader_can_sign_in_and_is_verified(client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    email, password = reader_ensure_demo()
    assert EmailAddress.objects.get(email=email).verified
    response = client.post("/accounts/login/", {"login": email, "password": password})
    assert response.status_code == 302 and client.session.get("_auth_user_id")


def test_running_it_again_gives_the_same_login(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    assert reader_ensure_demo() == reader_ensure_demo()
