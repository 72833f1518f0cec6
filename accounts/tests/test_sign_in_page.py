"""The sign-in page speaks the site's words: why a reader was sent there, and who they are now."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
from wagtail.models import PageViewRestriction

from accounts.models import Reader
from accounts.services import reader_ensure_demo
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text().split())


def test_a_reader_sent_from_a_page_for_signed_in_readers_is_told_why(client):
    article = make_article()
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)

    response = client.get("/accounts/login/", {"next": article.url})

    assert "The page you asked for is for signed-in readers." in _text(response)


def test_a_reader_who_came_to_sign_in_of_their_own_accord_is_not_told_so(client):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert "for signed-in readers" not in _text(response)


def test_signing_in_greets_the_reader_by_their_display_name(client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    email, password = reader_ensure_demo()
    name = Reader.objects.get(user__emailaddress__email=email).display_name

    response = client.post("/accounts/login/", {"login": email, "password": password})

    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert any(name in message for message in said), said


def test_the_keep_me_signed_in_box_says_what_it_does(client):
    response = client.get("/accounts/login/")

    soup = BeautifulSoup(response.content, "html.parser")
    box = soup.select_one("input[name=remember]")
    assert soup.select_one(f"label[for={box['id']}]").get_text(strip=True) == (
        "Keep me signed in on this device"
    )
