"""ALLOWED_HOSTS and CSRF_TRUSTED_ORIGINS written with an internationalised domain name as it
reads: browsers send such a host in IDNA's ASCII form (xn--), and the site answers it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import reverse

from core.envsettings import REGISTRY
from core.tests.test_settings_startup import ROOT, load_settings, refusal

HOST = "zeitung-für-alle.example"
ASCII_HOST = "xn--zeitung-fr-alle-7vb.example"  # as a browser sends it in Host and Origin


def from_environment(name: str, raw: str):
    """The value settings.py reads for ``name`` when the environment holds ``raw``."""
    return REGISTRY[name].parse(raw)


@pytest.mark.django_db
def test_a_host_allowed_as_it_reads_is_answered_when_the_browser_sends_it_in_ascii(settings):
    settings.ALLOWED_HOSTS = from_environment("ALLOWED_HOSTS", f"{HOST},localhost")
    response = Client().get("/robots.txt", HTTP_HOST=ASCII_HOST)
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_subdomain_wildcard_written_as_it_reads_answers_its_subdomains(settings):
    settings.ALLOWED_HOSTS = from_environment("ALLOWED_HOSTS", f".{HOST}")
    response = Client().get("/robots.txt", HTTP_HOST=f"www.{ASCII_HOST}")
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_form_posted_from_an_origin_trusted_as_it_reads_is_accepted(settings):
    """Behind a TLS-terminating proxy whose X-Forwarded-Proto was lost: the request reaches
    Django as plain HTTP, and the browser's https:// Origin passes only as a trusted origin."""
    settings.ALLOWED_HOSTS = from_environment("ALLOWED_HOSTS", HOST)
    settings.CSRF_TRUSTED_ORIGINS = from_environment("CSRF_TRUSTED_ORIGINS", f"https://{HOST}")
    browser = Client(enforce_csrf_checks=True, HTTP_HOST=ASCII_HOST)
    sign_in = reverse("account_login")
    assert browser.get(sign_in).status_code == 200
    token = browser.cookies["csrftoken"].value
    response = browser.post(
        sign_in,
        {
            "login": "reader@example.org",
            "password": "not the password",
            "csrfmiddlewaretoken": token,
        },
        HTTP_ORIGIN=f"https://{ASCII_HOST}",
    )
    # The sign-in form's own answer (the address and password do not match), not a 403.
    assert response.status_code == 200
    assert b'name="login"' in response.content


def test_settings_read_unicode_hosts_and_origins_in_their_ascii_form(tmp_path):
    result = subprocess.run(  # noqa: S603  (our own interpreter, a fixed script)
        [
            sys.executable,
            "-c",
            "from broadsheet import settings as s; print(s.ALLOWED_HOSTS); "
            "print(s.CSRF_TRUSTED_ORIGINS)",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "BROADSHEET_VAR_DIR": str(tmp_path),
            "ALLOWED_HOSTS": "Zeitung-für-Alle.example, .bücher.example, *, news.example",
            "CSRF_TRUSTED_ORIGINS": "https://zeitung-für-alle.example, https://*.bücher.example:8443",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    hosts, origins = result.stdout.splitlines()
    assert hosts == str([ASCII_HOST, ".xn--bcher-kva.example", "*", "news.example"])
    assert origins == str([f"https://{ASCII_HOST}", "https://*.xn--bcher-kva.example:8443"])


@pytest.mark.parametrize(
    ("name", "raw", "entry"),
    [
        ("ALLOWED_HOSTS", "news.example, -zeitung-für-alle.example", "-zeitung-für-alle.example"),
        ("ALLOWED_HOSTS", ".zeitung-für..example", "zeitung-für..example"),
        ("CSRF_TRUSTED_ORIGINS", "https://zeitung-für-alle.example/", "zeitung-für-alle.example/"),
        ("CSRF_TRUSTED_ORIGINS", "zeitung-für-alle.example", "zeitung-für-alle.example"),
    ],
)
def test_a_host_idna_cannot_write_stops_start_up_naming_the_setting(tmp_path, name, raw, entry):
    message = refusal(load_settings(tmp_path, **{name: raw}))
    assert f"{name}={raw!r} is not valid" in message
    assert repr(entry) in message
