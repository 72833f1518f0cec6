"""The masthead says who is signed in, with their links; anonymous readers' pages stay shared."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from discussion.tests.readers import make_reader
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def _account_nav(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return soup.find("nav", attrs={"aria-label": "Your account"})


def _links(nav) -> dict[str, str]:
    return {link.get_text(" ", strip=True): link["href"] for link in nav.find_all("a")}


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@example.com", "pw-12345")


def test_a_signed_in_reader_sees_who_is_signed_in_with_a_link_to_their_profile(client):
    user = make_reader("Ada Lovelace")
    client.force_login(user)

    nav = _account_nav(client.get(make_article().url))

    assert "Signed in as Ada Lovelace" in nav.get_text(" ", strip=True)
    assert _links(nav)["Ada Lovelace"] == f"/readers/{user.reader.pk}/"
    assert nav.find("button", string="Sign out") is not None


def test_a_staff_member_without_a_reader_profile_sees_who_is_signed_in(client, staff):
    """By username (accounts.selectors.user_display), linked to their account's settings."""
    client.force_login(staff)

    nav = _account_nav(client.get(make_article().url))

    assert "Signed in as editor" in nav.get_text(" ", strip=True)
    assert _links(nav)["editor"] == "/accounts/email/"
    assert nav.find("button", string="Sign out") is not None


def test_only_staff_get_a_link_to_the_admin(client, staff):
    article = make_article()
    client.force_login(staff)
    staff_links = _links(_account_nav(client.get(article.url)))
    client.force_login(make_reader("Grace"))
    reader_links = _links(_account_nav(client.get(article.url)))

    assert staff_links["Admin"] == "/admin/"
    assert "Admin" not in reader_links


def test_signing_out_from_an_article_comes_back_to_that_article(client):
    client.force_login(make_reader("Ada Lovelace"))
    article = make_article()
    nav = _account_nav(client.get(article.url))
    form = nav.find("button", string="Sign out").find_parent("form")
    fields = {field["name"]: field["value"] for field in form.find_all("input")}

    response = client.post(form["action"], fields)

    assert response.status_code == 302
    assert response["Location"] == article.url
    assert "_auth_user_id" not in client.session


def test_an_editor_given_the_admin_through_a_group_gets_the_admin_link(client):
    """Wagtail's admin goes by its access permission, not by ``is_staff``: so does the link."""
    from django.contrib.auth.models import Group, Permission

    editors = Group.objects.create(name="Desk editors")
    editors.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    user = make_reader("Desk Editor")
    user.groups.add(editors)
    client.force_login(user)

    links = _links(_account_nav(client.get(make_article().url)))

    assert links["Admin"] == "/admin/"


def test_an_account_flagged_staff_without_the_admin_gets_no_admin_link(client):
    """A link to an admin that would turn the account away is not offered."""
    user = make_reader("Flagged Only")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client.force_login(user)

    links = _links(_account_nav(client.get(make_article().url)))

    assert "Admin" not in links
