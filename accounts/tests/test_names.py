"""Display names: unique after folding, no two members' apart only in punctuation or spacing,
and no look-alike, invisible or bidi tricks."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from accounts.names import name_loose_key
from accounts.services import display_name_problem, reader_create, reader_rename

pytestmark = pytest.mark.django_db


def _user(n: int):
    return get_user_model().objects.create_user(f"u{n}", f"u{n}@example.com", "x")


def test_a_name_is_shown_as_typed_after_nfkc():
    reader = reader_create(user=_user(1), display_name="Ｊａｎｅ  Doe")
    assert reader.display_name == "Jane Doe"


@pytest.mark.parametrize("other", ["anna", "ANNA", "Ａｎｎａ", "Anna "])
def test_a_name_equal_after_folding_or_by_look_alikes_is_taken(other):
    reader_create(user=_user(1), display_name="Anna")
    with pytest.raises(ValidationError, match="taken"):
        reader_create(user=_user(2), display_name=other)


def test_an_all_cyrillic_name_that_looks_latin_is_taken():
    reader_create(user=_user(1), display_name="Pace")
    assert "taken" in display_name_problem("\u0420\u0430\u0441\u0435")  # Cyrillic Р а с е


def test_a_name_mixing_latin_and_cyrillic_is_refused():
    assert "one alphabet" in display_name_problem("Pаul")  # Cyrillic а


@pytest.mark.parametrize(
    "name", ["Ann\u200ba", "Ann\u202ea", "\u2066Anna\u2069", "Anna\u3164", "An\x07na", "\ufeffAnna"]
)
def test_invisible_characters_and_bidi_controls_are_refused(name):
    assert "invisible" in display_name_problem(name)


def test_a_genuine_greek_or_cyrillic_name_is_accepted():
    assert display_name_problem("Ирина") is None
    assert display_name_problem("Σωκράτης") is None


def test_a_refused_name_changes_nothing():
    with pytest.raises(ValidationError):
        reader_create(user=_user(1), display_name="Ann\u202ea")
    assert display_name_problem("Anna") is None


@pytest.mark.parametrize("other", ["Demo Reader.", "demo-reader", "DemoReader", "Demo  Reader!"])
def test_names_apart_only_in_punctuation_symbols_or_spaces_share_a_loose_key(other):
    assert name_loose_key(other) == name_loose_key("Demo Reader")


@pytest.mark.parametrize("other", ["Demo Readers", "Demo Reader 2", "Dora Reader"])
def test_names_apart_in_a_letter_or_a_digit_have_their_own_loose_keys(other):
    assert name_loose_key(other) != name_loose_key("Demo Reader")


def test_names_of_punctuation_alone_keep_their_own_loose_keys():
    assert name_loose_key("...") != name_loose_key("!!!")


def test_vowel_signs_written_as_combining_marks_keep_names_apart():
    assert name_loose_key("राम") != name_loose_key("रम")  # Ram, and a name without its ā


def test_a_member_cannot_rename_to_another_members_name_with_punctuation_and_spaces():
    reader_create(user=_user(1), display_name="Demo Reader")
    eve = reader_create(user=_user(2), display_name="Eve")
    with pytest.raises(ValidationError, match="only in punctuation, symbols or spaces"):
        reader_rename(reader=eve, display_name="Demo  Reader!")
    eve.refresh_from_db()
    assert eve.display_name == "Eve"


def test_a_member_can_change_only_the_punctuation_of_their_own_name():
    reader = reader_create(user=_user(1), display_name="Demo Reader")
    reader_rename(reader=reader, display_name="Demo Reader.")
    reader.refresh_from_db()
    assert reader.display_name == "Demo Reader."
    assert reader.name_loose == name_loose_key("Demo Reader")


@pytest.mark.parametrize("name", ["Staff", "S.T.A.F.F", "moderator!", "Admin", "The Broadsheet"])
def test_a_name_that_passes_for_the_newsroom_is_refused(name, settings):
    settings.WAGTAIL_SITE_NAME = "The Broadsheet"
    with pytest.raises(ValidationError, match="newsroom speaking"):
        reader_create(user=_user(1), display_name=name)


def test_the_staff_badges_own_label_is_refused_as_a_name(settings):
    settings.STAFF_BADGE_LABEL = "Kyiv Desk"
    assert "newsroom speaking" in display_name_problem("kyiv-desk")


@pytest.mark.parametrize("name", ["Stafford", "Editor in chief Olha", "Adminov"])
def test_a_name_that_only_contains_such_a_word_is_kept(name):
    assert display_name_problem(name) is None
