"""Staff sign in on the site's sign-in page: /admin/login/ only leads there, so the admin has no
form of its own that skips allauth's throttle on failed sign-ins or its check that an address is
verified; nor has Wagtail's front end (/_util/login/)."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail

from accounts.services import user_create_verified, user_email_verified_ensure

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple 42"
STAFF_EMAIL = "desk@example.com"


def _signed_in(client) -> bool:
    return bool(client.session.get("_auth_user_id"))


@pytest.fixture
def staff():
    user = get_user_model().objects.create_superuser("desk", STAFF_EMAIL, PASSWORD)
    user_email_verified_ensure(user=user)
    return user


def test_the_admin_sign_in_address_leads_to_the_site_sign_in_page_keeping_next(client):
    response = client.get("/admin/login/", {"next": "/admin/pages/"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/pages/"


def test_the_admin_sends_a_visitor_who_is_not_signed_in_to_the_site_sign_in_page(client):
    response = client.get("/admin/pages/", follow=True)

    assert response.redirect_chain[-1][0] == "/accounts/login/?next=/admin/pages/"
    assert response.status_code == 200


def test_a_next_to_another_site_is_dropped_for_the_admin_home(client):
    response = client.get("/admin/login/", {"next": "//evil.example/"})

    assert response["Location"] == "/accounts/login/?next=/admin/"


def test_thirty_wrong_passwords_then_the_right_one_at_the_admin_address_sign_no_one_in(
    client, staff
):
    for guess in range(30):
        response = client.post("/admin/login/", {"username": "desk", "password": f"wrong-{guess}"})
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    client.post("/admin/login/", {"username": "desk", "password": PASSWORD})

    assert not _signed_in(client)


def test_guesses_where_the_admin_address_leads_are_throttled(client, staff):
    sign_in = client.get("/admin/login/")["Location"]
    for guess in range(5):
        client.post(sign_in, {"login": STAFF_EMAIL, "password": f"wrong-{guess}"})

    response = client.post(sign_in, {"login": STAFF_EMAIL, "password": PASSWORD})

    assert "Too many tries to sign in with this address" in response.content.decode()
    assert not _signed_in(client)


def test_an_unverified_account_posting_to_the_admin_address_gets_no_session(client):
    signup = {"email": "ada@example.com", "password1": PASSWORD, "password2": PASSWORD}
    client.post("/accounts/signup/", {**signup, "display_name": "Ada"})
    client.logout()

    client.post("/admin/login/", {"username": "ada@example.com", "password": PASSWORD})
    assert not _signed_in(client)
    client.post("/accounts/login/", {"login": "ada@example.com", "password": PASSWORD})
    assert not _signed_in(client)


def test_staff_sign_in_on_the_site_sign_in_page_and_reach_the_admin(client, staff):
    response = client.post(
        "/accounts/login/", {"login": STAFF_EMAIL, "password": PASSWORD, "next": "/admin/"}
    )

    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_staff_whose_address_is_not_confirmed_are_mailed_a_link_and_not_signed_in(client):
    get_user_model().objects.create_superuser("new-desk", "new-desk@example.com", PASSWORD)

    client.post("/accounts/login/", {"login": "new-desk@example.com", "password": PASSWORD})

    assert not _signed_in(client)
    assert "/accounts/confirm-email/" in mail.outbox[-1].body


def test_staff_already_signed_in_go_straight_on(client, staff):
    client.force_login(staff)

    response = client.get("/admin/login/", {"next": "/admin/pages/"})

    assert response.status_code == 302 and response["Location"] == "/admin/pages/"


def test_a_signed_in_reader_sent_away_from_the_admin_is_told_it_is_for_staff(client):
    reader = user_create_verified(email="reader@example.com", password=PASSWORD)
    client.force_login(reader)

    response = client.get("/admin/", follow=True)

    assert response.status_code == 403
    assert b"The admin is for staff" in response.content
    assert [url for url, _ in response.redirect_chain] == ["/admin/login/?next=/admin/"]


def test_the_staff_address_is_marked_verified_once(staff):
    user_email_verified_ensure(user=staff)

    assert list(EmailAddress.objects.filter(user=staff).values_list("verified", "primary")) == [
        (True, True)
    ]


def test_wagtail_s_own_password_reset_form_is_off(client):
    assert client.get("/admin/password_reset/").status_code == 404


def test_wagtail_s_front_end_sign_in_address_leads_to_the_site_sign_in_page_and_signs_no_one_in(
    client, staff
):
    response = client.post(
        "/_util/login/?next=/world/", {"username": STAFF_EMAIL, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/world/"
    assert not _signed_in(client)
