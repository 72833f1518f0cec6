"""Moderators' notes on a reader's record: kept newest first with who wrote them, refused with
the text kept when they cannot be, limited as every staff change is, in the member's data
download, and gone with the member's account."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.test import Client

from accounts.services import reader_erase
from discussion.tests.readers import make_reader
from moderation.actions import NOTE_MAX_LENGTH
from moderation.models import CommentReview, ReaderNote
from moderation.selectors import reader_moderation_export
from moderation.tests.bob import post_as_bob
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

RECORD = "/admin/moderation/readers/"
NOTES = "/admin/moderation/readers/notes/"


@pytest.fixture
def bob(client) -> str:
    """Bob, a guest who commented once; his reader key."""
    post_as_bob(client, make_article(), "Bob's comment on the talks.")
    return CommentReview.objects.get().reader_key


def _note(client, reader_key: str, text: str):
    return client.post(NOTES, {"reader": reader_key, "text": text}, follow=True)


def _record(client, reader_key: str) -> BeautifulSoup:
    return BeautifulSoup(client.get(RECORD, {"reader": reader_key}).content, "html.parser")


def test_a_moderators_notes_are_kept_on_the_record_newest_first_with_who_wrote_them(
    admin_client, bob
):
    _note(admin_client, bob, "Posts the same link under several names.")
    answer = _note(admin_client, bob, "Second note:\nwatch the shop links.")

    assert "Note kept with their record." in [m.message for m in answer.context["messages"]]
    notes = _record(admin_client, bob).select("[data-record-notes] li")
    said = [" ".join(note.get_text(" ").split()) for note in notes]
    assert said[0].startswith("Second note: watch the shop links. (admin, ")
    assert said[1].startswith("Posts the same link under several names. (admin, ")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("   ", "Write the note first"),
        ("x" * (NOTE_MAX_LENGTH + 1), f"can have at most {NOTE_MAX_LENGTH:,}"),
    ],
    ids=["empty", "too long"],
)
def test_a_note_that_cannot_be_kept_is_refused_and_comes_back_as_typed(
    admin_client, bob, text, why
):
    answer = _note(admin_client, bob, text)

    assert ReaderNote.objects.count() == 0
    page = BeautifulSoup(answer.content, "html.parser")
    field = page.select_one("#note-text")
    assert field.get_text() == text
    assert field["aria-invalid"] == "true"
    assert why in page.select_one("#note-text-error").get_text()


def test_a_note_about_a_reader_nothing_is_about_is_refused(admin_client, bob):
    answer = admin_client.post(NOTES, {"reader": "guest:nobody", "text": "Who is this?"})

    assert ReaderNote.objects.count() == 0
    assert answer.status_code == 302  # back to the record, which is a 404 for such a key


def test_staff_who_may_not_moderate_cannot_write_a_note(client, django_user_model, bob):
    editor = django_user_model.objects.create_user("ed", "", "pw-long-enough", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)

    client.post(NOTES, {"reader": bob, "text": "An editor's opinion."})

    assert ReaderNote.objects.count() == 0


def test_notes_past_the_staff_limit_are_refused_with_the_text_kept(admin_client, bob, settings):
    settings.MODERATION_STAFF_RATE = "1/m"
    _note(admin_client, bob, "The first note.")

    answer = _note(admin_client, bob, "One note too many.")

    assert list(ReaderNote.objects.values_list("text", flat=True)) == ["The first note."]
    page = BeautifulSoup(answer.content, "html.parser")
    assert page.select_one("#note-text").get_text() == "One note too many."
    assert "faster than this site allows" in page.select_one("#note-text-error").get_text()


def test_a_member_finds_the_notes_about_them_in_their_data_and_they_go_with_the_account(
    admin_client,
):
    ada = make_reader("Ada")
    member = Client()
    member.force_login(ada)
    post_as_bob(member, make_article(), "Ada's comment.")
    _note(admin_client, f"user:{ada.pk}", "Asked us twice to remove old comments.")

    exported = reader_moderation_export(user_id=ada.pk)["moderator_notes"]

    assert [note["text"] for note in exported] == ["Asked us twice to remove old comments."]
    reader_erase(user=ada)
    assert ReaderNote.objects.count() == 0


def test_a_readers_cards_say_how_many_notes_moderators_kept_and_link_to_them(admin_client, bob):
    _note(admin_client, bob, "Posts the same link under several names.")
    _note(admin_client, bob, "Second note.")

    card = BeautifulSoup(
        admin_client.get("/admin/moderation/queue/unmoderated/").content, "html.parser"
    ).select_one("[data-mod-card]")

    link = card.find("a", string="2 notes by moderators")
    assert link["href"].endswith("#notes")
    assert "Second note." in admin_client.get(link["href"]).content.decode()


def test_nul_characters_in_a_note_or_its_reader_change_nothing_and_break_nothing(admin_client, bob):
    # PostgreSQL refuses NUL in any text: sent on, it was a database error, not a refusal.
    stray = admin_client.post(NOTES, {"reader": "guest:\x00nobody", "text": "Who?"})
    kept = _note(admin_client, bob, "A note\x00 with a NUL.")

    assert stray.status_code == 302
    assert kept.status_code == 200
    assert list(ReaderNote.objects.values_list("text", flat=True)) == ["A note with a NUL."]


def _delete(client, note: ReaderNote):
    return client.post(f"{NOTES}{note.pk}/delete/", {"reader": note.reader_key}, follow=True)


def test_a_note_deleted_leaves_the_record_and_the_members_data(admin_client):
    ada = make_reader("Ada")
    member = Client()
    member.force_login(ada)
    post_as_bob(member, make_article(), "Ada's comment.")
    _note(admin_client, f"user:{ada.pk}", "Meant for another reader.")

    answer = _delete(admin_client, ReaderNote.objects.get())

    assert "Note deleted." in [m.message for m in answer.context["messages"]]
    assert ReaderNote.objects.count() == 0
    assert reader_moderation_export(user_id=ada.pk)["moderator_notes"] == []
    assert _record(admin_client, f"user:{ada.pk}").select_one("[data-record-no-notes]")


def test_staff_who_may_not_moderate_cannot_delete_a_note(
    admin_client, client, django_user_model, bob
):
    _note(admin_client, bob, "Keep this one.")
    editor = django_user_model.objects.create_user("ed", "", "pw-long-enough", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)

    client.post(f"{NOTES}{ReaderNote.objects.get().pk}/delete/", {"reader": bob})

    assert ReaderNote.objects.count() == 1


def test_deleting_notes_past_the_staff_limit_is_refused(admin_client, bob, settings):
    first, second = (ReaderNote.objects.create(reader_key=bob, text=t) for t in ("One.", "Two."))
    settings.MODERATION_STAFF_RATE = "1/m"
    _delete(admin_client, first)

    answer = _delete(admin_client, second)

    assert list(ReaderNote.objects.values_list("text", flat=True)) == ["Two."]
    assert any("faster than this site allows" in m.message for m in answer.context["messages"])
