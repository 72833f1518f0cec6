"""The "Display name" form on a member's own profile: the name changes, or the form comes back
with the name as typed and the reason by the field; a limit on how often, a rate limit on tries,
CSRF, and nothing for anyone else."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from accounts.models import Reader, ReaderNameChange
from accounts.selectors import reader_for_user
from discussion.tests.factories import make_comment, make_thread
from discussion.tests.readers import make_reader

pytestmark = pytest.mark.django_db

NAME_URL = "/readers/me/name/"


@pytest.fixture
def ada():
    return make_reader("Ada")


def _signed_in(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def _profile_url(user) -> str:
    return reverse("reader_profile", args=[reader_for_user(user_id=user.pk).pk])


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def _name(user) -> str:
    return Reader.objects.get(user=user).display_name


def test_the_members_own_profile_has_the_form_with_the_name_filled_in(ada):
    page = _soup(_signed_in(ada).get(_profile_url(ada)))

    form = page.find("form", attrs={"action": NAME_URL})
    field = form.select_one("input[name=display_name]")
    assert form.find("label", attrs={"for": field["id"]}).get_text(strip=True) == "Display name"
    assert field["value"] == "Ada"
    assert form.select_one("input[name=csrfmiddlewaretoken]") is not None
    assert form.select_one("button[type=submit]").get_text(strip=True) == "Save display name"
    hint = page.select_one(f"#{field['id']}_helptext").get_text(" ", strip=True)
    assert "once every 30 days" in hint
    assert f"{field['id']}_helptext" in field["aria-describedby"].split()


def test_nobody_elses_profile_has_the_form(ada):
    grace = make_reader("Grace")

    for client in (Client(), _signed_in(grace)):
        page = client.get(_profile_url(ada)).content.decode()
        assert NAME_URL not in page


def test_the_form_renames_and_the_profile_and_comments_show_the_new_name(ada):
    make_comment(make_thread(title="Talks"), "A view of the talks.", name="Ada", user_id=ada.pk)
    client = _signed_in(ada)

    response = client.post(NAME_URL, {"display_name": "Ada Lovelace"})

    assert response.status_code == 302 and response["Location"] == _profile_url(ada)
    page = _soup(client.get(response["Location"]))
    assert page.select_one(".messages[data-announce=page-status]").get_text(strip=True) == (
        "Your display name is now “Ada Lovelace”. Your comments show it too."
    )
    assert page.select_one("h1").get_text(strip=True) == "Ada Lovelace"
    assert page.select_one("input[name=display_name]")["value"] == "Ada Lovelace"
    hint = page.select_one("#id_display_name_helptext").get_text(" ", strip=True)
    assert "Next from" in hint
    public = _soup(Client().get(_profile_url(ada)))
    assert public.select_one("h1").get_text(strip=True) == "Ada Lovelace"
    assert _name(ada) == "Ada Lovelace"


def test_a_taken_name_is_refused_by_the_field_with_the_text_kept_and_nothing_changed(ada):
    make_reader("Grace Hopper")

    response = _signed_in(ada).post(NAME_URL, {"display_name": "grace  hopper!"})

    assert response.status_code == 400
    page = _soup(response)
    field = page.select_one("input[name=display_name]")
    assert field["value"] == "grace  hopper!"
    assert field["aria-invalid"] == "true" and field.has_attr("autofocus")
    error = page.select_one(f"#{field['id']}_error")
    assert error["role"] == "alert" and "field__error" in error["class"]
    assert "differs from a member's only in punctuation, symbols or spaces" in error.get_text()
    assert f"{field['id']}_error" in field["aria-describedby"].split()
    assert page.select("[autofocus]") == [field]
    assert _name(ada) == "Ada"
    assert not ReaderNameChange.objects.exists()


@pytest.mark.parametrize("typed", ["", "   "])
def test_an_empty_name_is_refused_asking_for_one_and_nothing_changed(ada, typed):
    response = _signed_in(ada).post(NAME_URL, {"display_name": typed})

    assert response.status_code == 400
    field = _soup(response).select_one("input[name=display_name]")
    error = _soup(response).select_one(f"#{field['id']}_error")
    assert error.get_text(strip=True) == "Please choose a display name."
    assert _name(ada) == "Ada"


def test_a_second_change_within_the_limit_is_refused_saying_from_when(ada, settings):
    settings.DISPLAY_NAME_CHANGE_DAYS = 30
    client = _signed_in(ada)
    client.post(NAME_URL, {"display_name": "Ada Lovelace"})

    response = client.post(NAME_URL, {"display_name": "Countess"})

    assert response.status_code == 400
    field = _soup(response).select_one("input[name=display_name]")
    assert field["value"] == "Countess"
    error = _soup(response).select_one(f"#{field['id']}_error").get_text(" ", strip=True)
    assert "can be changed once every 30 days" in error and "again from" in error
    assert _name(ada) == "Ada Lovelace"


def test_sending_the_form_too_often_is_refused_with_429_and_retry_after(ada, settings):
    settings.DISPLAY_NAME_CHANGE_RATE = "2/h"
    settings.DISPLAY_NAME_CHANGE_DAYS = 0
    client = _signed_in(ada)
    client.post(NAME_URL, {"display_name": "Ada One"})
    client.post(NAME_URL, {"display_name": "Ada Two"})

    response = client.post(NAME_URL, {"display_name": "Ada Three"})

    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    page = _soup(response)
    assert page.select_one("input[name=display_name]")["value"] == "Ada Three"
    assert "too many times" in page.select_one("#id_display_name_error").get_text()
    assert _name(ada) == "Ada Two"


def test_a_post_without_the_csrf_token_is_refused(ada):
    client = _signed_in(ada, enforce_csrf_checks=True)

    response = client.post(NAME_URL, {"display_name": "Ada Lovelace"})

    assert response.status_code == 403
    assert _name(ada) == "Ada"


def test_a_signed_out_reader_cannot_rename_anyone(ada):
    response = Client().post(NAME_URL, {"display_name": "Ada Lovelace"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert _name(ada) == "Ada"


def test_only_a_post_changes_the_name(ada):
    # Opened (GET), the address leads to the profile (test_profile_forms_after_signing_in.py).
    response = _signed_in(ada).get(NAME_URL, {"display_name": "Ada Lovelace"})

    assert response.status_code == 302
    assert _name(ada) == "Ada"


def test_the_same_name_again_says_so_and_changes_nothing(ada):
    client = _signed_in(ada)

    response = client.post(NAME_URL, {"display_name": "Ada"}, follow=True)

    assert "That is already your display name" in _soup(response).select_one(".messages").text
    assert not ReaderNameChange.objects.exists()


def test_a_name_from_the_publishers_sign_on_shows_where_to_change_it_instead(ada):
    Reader.objects.filter(user=ada).update(sso_subject="publisher-42")

    page = _signed_in(ada).get(_profile_url(ada)).content.decode()

    assert NAME_URL not in page
    assert "comes from your account with the publisher" in page


def test_a_name_sent_in_bytes_that_are_not_utf8_is_refused_and_the_name_kept(ada):
    """Latin-1's "é" (the byte 0xE9) reads as U+FFFD: "Ren�" is refused with the reason, not
    made the member's name on every comment they wrote."""
    response = _signed_in(ada).post(
        NAME_URL, "display_name=Ren%E9", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 400
    assert "not valid text (UTF-8)" in _soup(response).get_text()
    assert _name(ada) == "Ada"
    assert not ReaderNameChange.objects.exists()
