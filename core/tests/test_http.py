"""Requests the site must refuse cleanly."""

import pytest


@pytest.mark.django_db
def test_a_host_header_not_in_allowed_hosts_gets_a_400(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400


@pytest.mark.django_db
def test_an_unknown_page_is_a_404_with_a_way_home(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b'href="/"' in response.content
