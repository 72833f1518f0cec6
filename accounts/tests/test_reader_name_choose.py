"""A member changes their own display name: sign-up's rules, a limit on how often, and a
record of the names they had."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts import renames
from accounts.models import Reader, ReaderNameChange
from accounts.services import (
    display_name_problem,
    reader_create,
    reader_erase,
    reader_name_choose,
    reader_rename,
    user_create_verified,
)

pytestmark = pytest.mark.django_db


def _reader(name: str, email: str | None = None) -> Reader:
    user = user_create_verified(email=email or f"{name.split()[0].lower()}@example.com")
    return reader_create(user=user, display_name=name)


def _refusal(reader: Reader, name: str, **kwargs) -> str:
    with pytest.raises(ValidationError) as refused:
        reader_name_choose(reader=reader, display_name=name, **kwargs)
    return " ".join(refused.value.message_dict["display_name"])


def test_a_member_takes_a_new_name_and_the_change_is_kept():
    ada = _reader("Ada")

    reader_name_choose(reader=ada, display_name="  Ada   Lovelace ")

    ada.refresh_from_db()
    assert ada.display_name == "Ada Lovelace"
    change = ReaderNameChange.objects.get(reader=ada)
    assert (change.old_name, change.new_name, change.chosen_by_reader) == (
        "Ada",
        "Ada Lovelace",
        True,
    )


@pytest.mark.parametrize(
    "name",
    [
        "Grace",  # taken outright
        "GRACE",  # the same but for case
        "Grасe",  # with a Cyrillic "а" and "с": looks the same
        "Grace!",  # differs only in punctuation
        "Gr\u200bace",  # a hidden character
        "Аda Smith",  # Cyrillic and Latin letters mixed
        "",  # no name at all
    ],
)
def test_a_name_sign_up_refuses_is_refused_with_sign_ups_message_and_nothing_changes(name):
    _reader("Grace")
    ada = _reader("Ada")
    expected = display_name_problem(name, exclude_reader_id=ada.pk)

    assert _refusal(ada, name) == expected

    ada.refresh_from_db()
    assert ada.display_name == "Ada"
    assert not ReaderNameChange.objects.exists()


def test_the_members_own_name_in_other_letters_is_theirs_to_take():
    ada = _reader("ada lovelace")

    reader_name_choose(reader=ada, display_name="Ada Lovelace")

    assert Reader.objects.get(pk=ada.pk).display_name == "Ada Lovelace"


def test_the_same_name_again_changes_nothing_and_does_not_count(settings):
    settings.DISPLAY_NAME_CHANGE_DAYS = 30
    ada = _reader("Ada")

    reader_name_choose(reader=ada, display_name="Ada ")
    reader_name_choose(reader=ada, display_name="Ada Lovelace")

    assert list(ReaderNameChange.objects.values_list("old_name", "new_name")) == [
        ("Ada", "Ada Lovelace")
    ]


def test_a_second_change_within_the_limit_is_refused_saying_from_when(settings):
    settings.DISPLAY_NAME_CHANGE_DAYS = 30
    settings.TIME_ZONE = "UTC"
    ada = _reader("Ada")
    first = timezone.make_aware(timezone.datetime(2026, 3, 2, 9, 30))
    reader_name_choose(reader=ada, display_name="Ada Lovelace", now=first)

    message = _refusal(ada, "Countess", now=first + timedelta(days=29, hours=23))

    assert message == (
        "You changed your display name on 2 March 2026, and it can be changed once every 30 "
        "days. You can change it again from 1 April 2026, 09:30."
    )
    assert Reader.objects.get(pk=ada.pk).display_name == "Ada Lovelace"
    assert ReaderNameChange.objects.count() == 1


def test_once_the_limit_has_passed_the_name_may_change_again(settings):
    settings.DISPLAY_NAME_CHANGE_DAYS = 30
    ada = _reader("Ada")
    first = timezone.now() - timedelta(days=30, seconds=1)
    reader_name_choose(reader=ada, display_name="Ada Lovelace", now=first)

    reader_name_choose(reader=ada, display_name="Countess")

    assert Reader.objects.get(pk=ada.pk).display_name == "Countess"


def test_a_limit_of_nought_days_lets_a_member_change_at_any_time(settings):
    settings.DISPLAY_NAME_CHANGE_DAYS = 0
    ada = _reader("Ada")

    reader_name_choose(reader=ada, display_name="Ada Lovelace")
    reader_name_choose(reader=ada, display_name="Countess")

    assert Reader.objects.get(pk=ada.pk).display_name == "Countess"


def test_a_name_from_the_publishers_sign_on_is_changed_there_not_here():
    ada = _reader("Ada")
    Reader.objects.filter(pk=ada.pk).update(sso_subject="publisher-42")
    ada.refresh_from_db()

    assert "account with the publisher" in _refusal(ada, "Countess")
    assert Reader.objects.get(pk=ada.pk).display_name == "Ada"


def test_a_change_by_the_publishers_sign_on_is_kept_but_does_not_count_towards_the_limit(
    settings,
):
    settings.DISPLAY_NAME_CHANGE_DAYS = 30
    ada = _reader("Ada")

    reader_rename(reader=ada, display_name="Ada Lovelace")
    reader_name_choose(reader=ada, display_name="Countess")

    assert list(
        ReaderNameChange.objects.order_by("id").values_list("new_name", "chosen_by_reader")
    ) == [("Ada Lovelace", False), ("Countess", True)]


def test_the_rename_hooks_run_with_the_new_name_and_their_failure_undoes_the_change():
    ada = _reader("Ada")
    heard = []

    def failing(*, user_id, display_name):
        heard.append((user_id, display_name))
        raise RuntimeError("the comments could not be renamed")

    renames.register("test.failing", failing)
    try:
        with pytest.raises(RuntimeError):
            reader_name_choose(reader=ada, display_name="Ada Lovelace")
    finally:
        renames.unregister("test.failing")

    assert heard == [(ada.user_id, "Ada Lovelace")]
    assert Reader.objects.get(pk=ada.pk).display_name == "Ada"
    assert not ReaderNameChange.objects.exists()


def test_the_names_a_member_had_go_with_their_account():
    ada = _reader("Ada")
    reader_name_choose(reader=ada, display_name="Ada Lovelace")

    reader_erase(user=ada.user)

    assert not ReaderNameChange.objects.exists()
