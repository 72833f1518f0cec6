"""By default the staff admin sends nothing about its users to outside services."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db


@pytest.fixture
def dashboard(client, django_user_model):
    """The admin dashboard as a superuser sees it (only superusers are offered update checks)."""
    staff = django_user_model.objects.create_superuser(
        "editor", "editor@example.com", "a-long-test-password"
    )
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_admin_loads_no_avatar_from_gravatar(dashboard):
    assert "gravatar.com" not in dashboard


def test_the_admin_does_not_ask_wagtail_org_for_new_releases(dashboard):
    # The address sits in Wagtail's script; the page's w-upgrade controller is what fetches it.
    upgrade_checks = BeautifulSoup(dashboard, "html.parser").select(
        '[data-controller~="w-upgrade"]'
    )

    assert upgrade_checks == []
    assert "releases.wagtail.org" not in dashboard
