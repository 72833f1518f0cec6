"""An account with no reader profile (staff made in the admin or by createsuperuser) gets one the
first time it needs one, through reader_create, under its full name or username."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from accounts.models import Reader
from accounts.services import reader_create, reader_ensure, reader_name_for_account

pytestmark = pytest.mark.django_db


def _account(username: str, **names: str):
    return get_user_model().objects.create_user(
        username, f"{username.split('@')[0]}@example.invalid", **names
    )


def test_it_takes_the_accounts_full_name():
    user = _account("okoval", first_name="Olha", last_name="Koval")

    assert reader_ensure(user=user).display_name == "Olha Koval"


def test_without_a_full_name_it_takes_the_username():
    assert reader_ensure(user=_account("okoval")).display_name == "okoval"


def test_a_username_that_would_pass_for_the_newsroom_is_not_taken_as_the_name():
    # createsuperuser's "admin": it takes a free variant, as for a name a member has.
    assert reader_ensure(user=_account("admin")).display_name == "admin 2"


def test_an_address_used_as_username_is_not_shown():
    assert reader_ensure(user=_account("jo.bloggs@paper.example")).display_name == "jo.bloggs"


def test_a_name_a_member_has_gets_the_first_free_variant():
    reader_create(user=_account("someone"), display_name="Olha Koval")

    user = _account("okoval", first_name="Olha", last_name="Koval")

    assert reader_ensure(user=user).display_name == "Olha Koval 2"


def test_a_name_no_member_may_take_falls_back_to_reader():
    user = _account("mixed", first_name="Аnna", last_name="Smith")  # Cyrillic А with Latin

    assert reader_ensure(user=user).display_name == "Reader"


def test_an_account_with_a_profile_keeps_it():
    user = _account("ada", first_name="Ada", last_name="Lovelace")
    reader = reader_create(user=user, display_name="Countess")

    assert reader_ensure(user=user) == reader
    assert Reader.objects.filter(user=user).count() == 1


def test_the_name_shown_before_is_the_name_given():
    user = _account("okoval", first_name="Olha", last_name="Koval")
    shown = reader_name_for_account(user=user)

    assert reader_ensure(user=user).display_name == shown
