"""Browsers ask for /favicon.ico where a document names no icon (a feed, a JSON answer)."""

import pytest
from django.contrib.staticfiles import finders


@pytest.mark.django_db
def test_favicon_ico_leads_to_the_icon_the_pages_link(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    page = client.get("/search/").content.decode()
    assert f'<link rel="icon" href="{response["Location"]}"' in page


def test_the_icon_it_leads_to_is_a_static_file():
    assert finders.find("core/favicon.svg") is not None
