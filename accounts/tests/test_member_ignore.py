"""Ignoring a member (accounts.services.member_ignore, member_unignore): who may be ignored, the
cap, and that the rows go with either account."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError

from accounts import selectors, services
from accounts.models import IgnoredMember
from discussion.tests.readers import make_reader

pytestmark = pytest.mark.django_db


def test_a_reader_ignores_a_member_and_sees_whom_they_ignore():
    ada, bob = make_reader("Ada"), make_reader("Bob")
    assert services.member_ignore(user=ada, member_id=bob.pk) is True
    assert selectors.members_ignored_among(user_id=ada.pk, member_ids=[bob.pk]) == {bob.pk}
    assert [row["display_name"] for row in selectors.members_ignored(user_id=ada.pk)] == ["Bob"]


def test_ignoring_is_one_way_and_the_member_ignored_sees_nothing_change():
    ada, bob = make_reader("Ada"), make_reader("Bob")
    services.member_ignore(user=ada, member_id=bob.pk)
    assert selectors.members_ignored_among(user_id=bob.pk, member_ids=[ada.pk]) == frozenset()
    assert selectors.members_ignored(user_id=bob.pk) == []


def test_ignoring_twice_keeps_one_row():
    ada, bob = make_reader("Ada"), make_reader("Bob")
    services.member_ignore(user=ada, member_id=bob.pk)
    assert services.member_ignore(user=ada, member_id=bob.pk) is False
    assert IgnoredMember.objects.filter(user=ada).count() == 1


def test_nobody_can_ignore_themselves():
    ada = make_reader("Ada")
    with pytest.raises(ValidationError) as refused:
        services.member_ignore(user=ada, member_id=ada.pk)
    assert refused.value.messages == ["You cannot ignore yourself."]
    assert not IgnoredMember.objects.exists()


def test_staff_cannot_be_ignored():
    ada, editor = make_reader("Ada"), make_reader("Edna")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    editor = get_user_model().objects.get(pk=editor.pk)  # its permissions read afresh
    with pytest.raises(ValidationError) as refused:
        services.member_ignore(user=ada, member_id=editor.pk)
    assert refused.value.code == "ignore_staff"
    assert "Staff cannot be ignored" in refused.value.messages[0]
    assert not IgnoredMember.objects.exists()


def test_an_account_without_a_reader_profile_or_one_that_is_gone_cannot_be_ignored():
    ada = make_reader("Ada")
    bare = get_user_model().objects.create_user(username="bare", email="bare@example.com")
    for member_id in (bare.pk, 999_999):
        with pytest.raises(ValidationError) as refused:
            services.member_ignore(user=ada, member_id=member_id)
        assert refused.value.code == "ignore_not_a_member"
    assert not IgnoredMember.objects.exists()


def test_past_the_cap_ignoring_is_refused_with_the_way_out(settings):
    settings.IGNORED_MEMBERS_MAX = 2
    ada = make_reader("Ada")
    first, second, third = make_reader("B1"), make_reader("B2"), make_reader("B3")
    services.member_ignore(user=ada, member_id=first.pk)
    services.member_ignore(user=ada, member_id=second.pk)
    with pytest.raises(ValidationError) as refused:
        services.member_ignore(user=ada, member_id=third.pk)
    assert refused.value.messages == [
        "You already ignore 2 readers, the most you can. Stop ignoring someone on your profile "
        "first; nothing was changed."
    ]
    assert set(IgnoredMember.objects.values_list("member_id", flat=True)) == {
        first.pk,
        second.pk,
    }


def test_stop_ignoring_shows_the_member_again():
    ada, bob = make_reader("Ada"), make_reader("Bob")
    services.member_ignore(user=ada, member_id=bob.pk)
    assert services.member_unignore(user=ada, member_id=bob.pk) is True
    assert services.member_unignore(user=ada, member_id=bob.pk) is False
    assert selectors.members_ignored(user_id=ada.pk) == []


def test_erasing_an_account_removes_its_rows_in_both_directions():
    ada, bob, cy = make_reader("Ada"), make_reader("Bob"), make_reader("Cy")
    services.member_ignore(user=ada, member_id=bob.pk)
    services.member_ignore(user=cy, member_id=ada.pk)  # rows in both directions
    services.member_ignore(user=cy, member_id=bob.pk)  # and one that stays
    services.reader_erase(user=ada)
    assert list(IgnoredMember.objects.values_list("user_id", "member_id")) == [(cy.pk, bob.pk)]


def test_the_reader_read_for_a_page_says_whether_they_ignore_anyone():
    ada, bob = make_reader("Ada"), make_reader("Bob")
    assert not selectors.reader_for_user(user_id=ada.pk, with_ignoring=True).ignores_members
    services.member_ignore(user=ada, member_id=bob.pk)
    assert selectors.reader_for_user(user_id=ada.pk, with_ignoring=True).ignores_members
