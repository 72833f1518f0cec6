"""A private collection's password form (its documents') takes PAGE_PASSWORD_RATE tries per
address, counted with the private pages' forms, then refuses every try unread, the right
password included. Wagtail's own form took any number of guesses."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Collection, CollectionViewRestriction

from core.ratelimit import wait_in_words

pytestmark = pytest.mark.django_db

PASSWORD = "tulip-7341"


@pytest.fixture
def form_url():
    collection = Collection.get_first_root_node().add_child(name="Embargoed reports")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection,
        restriction_type=CollectionViewRestriction.PASSWORD,
        password=PASSWORD,
    )
    return reverse("wagtaildocs_authenticate_with_password", args=[restriction.pk])


def _try(client: Client, form_url: str, password: str):
    return client.post(form_url, {"password": password, "return_url": "/documents/1/report.pdf"})


def test_past_the_limit_even_the_right_password_is_refused_unread(client, form_url, settings):
    settings.PAGE_PASSWORD_RATE = "3/m"
    for guess in range(3):
        assert _try(client, form_url, f"guess-{guess}").status_code == 200

    refused = _try(client, form_url, PASSWORD)

    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    html = refused.content.decode()
    assert "Too many passwords have been tried from your address" in html
    wait = wait_in_words(int(refused["Retry-After"])).capitalize()
    assert f"{wait}, then try again." in html
    assert f'action="{form_url}"' in html
    assert "passed_collection_view_restrictions" not in client.session


def test_under_the_limit_the_right_password_is_taken(client, form_url, settings):
    settings.PAGE_PASSWORD_RATE = "3/m"
    _try(client, form_url, "guess")

    taken = _try(client, form_url, PASSWORD)

    assert taken.status_code == 302 and taken["Location"] == "/documents/1/report.pdf"
    assert client.session["passed_collection_view_restrictions"]


def test_guesses_on_a_pages_form_count_here_too(client, form_url, settings):
    from wagtail.models import PageViewRestriction

    from newsroom.tests.factories import make_article

    settings.PAGE_PASSWORD_RATE = "2/m"
    page = make_article()
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="other"
    )
    page_form = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk])
    for guess in range(2):
        client.post(page_form, {"password": f"guess-{guess}", "return_url": page.url})

    assert _try(client, form_url, PASSWORD).status_code == 429
