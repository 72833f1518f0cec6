"""A private page's password form takes PAGE_PASSWORD_RATE tries per address, then refuses
every try unread, the right password included, while other addresses go on as before."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import PageViewRestriction

from core.ratelimit import wait_in_words
from newsroom.tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

PASSWORD = "tulip-7341"


@pytest.fixture(params=["article", "section"])
def private(request):
    page = make_article() if request.param == "article" else make_section()
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password=PASSWORD
    )
    form_url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk])
    return page, form_url


def _try(client: Client, form_url: str, page, password: str):
    return client.post(form_url, {"password": password, "return_url": page.url})


def test_the_eleventh_try_in_a_minute_is_refused_even_with_the_right_password(
    client, private, settings
):
    settings.PAGE_PASSWORD_RATE = "10/m"
    page, form_url = private
    for guess in range(10):
        assert _try(client, form_url, page, f"guess-{guess}").status_code == 200

    refused = _try(client, form_url, page, PASSWORD)

    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    html = refused.content.decode()
    assert "Too many passwords have been tried from your address" in html
    wait = wait_in_words(int(refused["Retry-After"])).capitalize()
    assert f"{wait}, then try again." in html
    assert 'aria-invalid="true" aria-describedby="id_password-error"' in html
    assert f'action="{form_url}"' in html
    assert "This page needs a password" in client.get(page.url).content.decode()


def test_another_address_is_unaffected(client, private):
    page, form_url = private
    for guess in range(11):
        _try(client, form_url, page, f"guess-{guess}")

    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    answer = _try(elsewhere, form_url, page, PASSWORD)

    assert answer.status_code == 302 and answer["Location"] == page.url
    assert "This page needs a password" not in elsewhere.get(page.url).content.decode()


def test_under_the_limit_the_right_password_opens_the_page(client, private):
    page, form_url = private
    _try(client, form_url, page, "guess")

    answer = _try(client, form_url, page, PASSWORD)

    assert answer.status_code == 302 and answer["Location"] == page.url


def test_showing_the_form_is_not_counted(client, private, settings):
    settings.PAGE_PASSWORD_RATE = "1/m"
    page, form_url = private
    for _ in range(3):
        assert client.get(form_url).status_code == 200

    assert _try(client, form_url, page, PASSWORD).status_code == 302
