"""comment_create: the one path that makes a comment."""

from __future__ import annotations

import pytest
from django.db.models import F

from discussion.errors import CommentRefused
from discussion.models import Comment, Thread
from discussion.services import comment_create, thread_set_closed, thread_update
from discussion.tests.factories import make_comment, make_thread

pytestmark = pytest.mark.django_db


def test_a_valid_comment_is_published_with_sanitised_html():
    thread = make_thread()
    comment = make_comment(thread, "Send *more* aid <script>alert(1)</script>")
    assert comment.status == Comment.Status.PUBLISHED
    assert "<em>more</em>" in comment.html
    assert "<script>" not in comment.html
    assert "&lt;script&gt;" in comment.html


def test_top_level_comments_are_numbered_in_order():
    thread = make_thread()
    first, second = make_comment(thread), make_comment(thread)
    reply = make_comment(thread, parent=first)
    third = make_comment(thread)
    assert (first.number, second.number, third.number) == (1, 2, 3)
    assert reply.number is None


def test_a_reply_records_its_root_depth_and_reading_order_path():
    thread = make_thread()
    top = make_comment(thread)
    reply = make_comment(thread, parent=top)
    nested = make_comment(thread, parent=reply)
    nested.refresh_from_db()
    assert (reply.root_id, reply.depth) == (top.pk, 1)
    assert (nested.root_id, nested.depth) == (top.pk, 2)
    assert nested.path.startswith(reply.path + "/")


def test_posting_bumps_the_thread_version_and_counts():
    thread = make_thread()
    before = Thread.objects.get(pk=thread.pk).version
    top = make_comment(thread)
    make_comment(thread, parent=top)
    thread.refresh_from_db()
    top.refresh_from_db()
    assert thread.version == before + 2
    assert thread.comment_count == 2
    assert top.reply_count == 1


@pytest.mark.parametrize(
    ("body", "field", "fragment"),
    [
        ("", "body", "write your comment"),
        ("   \n  ", "body", "write your comment"),
        ("bad \x00 byte", "body", "NUL"),
        ("lone \ud800 surrogate", "body", "surrogate"),
        ("broken \ufffd bytes", "body", "UTF-8"),
    ],
)
def test_bad_bodies_are_refused_and_nothing_is_saved(body, field, fragment):
    thread = make_thread()
    with pytest.raises(CommentRefused) as refused:
        make_comment(thread, body)
    assert fragment in " ".join(refused.value.message_dict[field])
    assert Comment.objects.count() == 0


def test_body_at_the_limit_is_accepted_and_one_over_is_refused(settings):
    settings.COMMENT_MAX_LENGTH = 20
    thread = make_thread()
    assert make_comment(thread, "x" * 20).body == "x" * 20
    with pytest.raises(CommentRefused) as refused:
        make_comment(thread, "x" * 21)
    assert "limit is 20" in refused.value.message_dict["body"][0]
    assert Comment.objects.count() == 1


def test_a_four_byte_emoji_counts_as_one_character(settings):
    settings.COMMENT_MAX_LENGTH = 5
    thread = make_thread()
    comment = make_comment(thread, "ab🇺🦀")  # 🇺 and 🦀 are single code points of 4 UTF-8 bytes
    assert comment.body == "ab🇺🦀"
    with pytest.raises(CommentRefused):
        make_comment(thread, "abcd🦀x")


def test_flags_skin_tones_families_and_typed_accents_count_as_one_character_each(settings):
    """What the reader sees as one character is one, though it is several code points: a flag
    (two), an emoji with a skin tone (two), a family (five), e and a combining accent (two)."""
    settings.COMMENT_MAX_LENGTH = 5
    thread = make_thread()
    seen_as_five = "🇺🇦👍🏽👨\u200d👩\u200d👧e\u0301!"

    assert make_comment(thread, seen_as_five).body == seen_as_five
    with pytest.raises(CommentRefused) as refused:
        make_comment(thread, seen_as_five + "🇺🇦")
    assert "Your comment is 6 characters long" in refused.value.message_dict["body"][0]


@pytest.mark.parametrize(
    "stacked",
    [
        "e" + "\u0301" * 5_000,  # one letter under 5,000 accents ("Zalgo" text)
        "\U0001f468" + "\u200d\U0001f468" * 2_000,  # 2,001 people joined into one "family"
    ],
)
def test_a_character_of_thousands_of_joined_parts_is_refused_not_counted_as_one(settings, stacked):
    """A character is counted as one however many code points it joins, so the limit counted a
    letter under a million accents as one character: megabytes passed as a short comment, and
    spilt over the comments around it on the page. A character of more parts than any
    alphabet or emoji joins is refused, saying so."""
    settings.COMMENT_MAX_LENGTH = 20
    thread = make_thread()

    with pytest.raises(CommentRefused) as refused:
        make_comment(thread, f"Look: {stacked}!")

    said = refused.value.message_dict["body"][0]
    assert f"one character made of {len(stacked):,} parts" in said
    assert Comment.objects.count() == 0


def test_a_four_byte_emoji_as_the_last_character_at_the_limit_is_kept_whole(settings):
    settings.COMMENT_MAX_LENGTH = 5
    thread = make_thread()
    comment = make_comment(thread, "abcd🦀")
    comment.refresh_from_db()
    assert comment.body == "abcd🦀"
    assert comment.html == "<p>abcd🦀</p>"
    with pytest.raises(CommentRefused) as refused:
        make_comment(thread, "abcde🦀")
    assert "limit is 5" in refused.value.message_dict["body"][0]
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("Ali\u202ece", "U+202E"),  # right-to-left override: shows as "Alice" reversed
        ("Bob\u2066by", "U+2066"),  # left-to-right isolate
        ("An\u200bna", "U+200B"),  # zero-width space: "Anna" that is not "Anna"
        ("\u2800", "invisible"),  # a blank-looking braille pattern
        ("Аnna", "alphabet"),  # a Cyrillic А before Latin letters
        ("Bob\r\nBcc: x@example.com", "U+000D"),  # a line break, to add a header to an email
    ],
)
def test_a_guest_name_with_hidden_or_look_alike_characters_is_refused(name, fragment):
    thread = make_thread()
    with pytest.raises(CommentRefused) as refused:
        make_comment(thread, name=name)
    assert fragment in refused.value.message_dict["author_name"][0]
    assert Comment.objects.count() == 0


def test_a_guest_name_in_one_alphabet_with_accents_is_accepted():
    thread = make_thread()
    names = ["Zoë Ó Briain", "Олена", "Γιώργος", "李明", "O'Neil-Smith"]
    assert [make_comment(thread, name=name).author_name for name in names] == names


def test_display_name_is_required_and_limited(settings):
    settings.DISPLAY_NAME_MAX_LENGTH = 10
    thread = make_thread()
    with pytest.raises(CommentRefused) as missing:
        make_comment(thread, name="  ")
    assert "display name" in missing.value.message_dict["author_name"][0]
    with pytest.raises(CommentRefused) as long:
        make_comment(thread, name="n" * 11)
    assert "at most 10" in long.value.message_dict["author_name"][0]


def test_reply_to_an_unknown_parent_is_refused():
    thread = make_thread()
    with pytest.raises(CommentRefused) as refused:
        comment_create(thread=thread, body="hi", author_name="A", parent_id=999999)
    assert "does not exist" in refused.value.message_dict["parent"][0]


def test_a_comment_naming_itself_as_its_parent_is_refused():
    # The id a new comment will get is the next one; naming it as the parent finds no comment.
    thread = make_thread()
    latest = make_comment(thread)
    with pytest.raises(CommentRefused) as refused:
        comment_create(thread=thread, body="hi", author_name="A", parent_id=latest.pk + 1)
    assert "does not exist" in refused.value.message_dict["parent"][0]
    assert not Comment.objects.filter(parent_id=F("id")).exists()
    assert Comment.objects.count() == 1


def test_reply_to_a_parent_in_another_thread_is_refused():
    thread, other = make_thread(), make_thread()
    foreign = make_comment(other)
    with pytest.raises(CommentRefused) as refused:
        make_comment(thread, parent=foreign)
    assert "another discussion" in refused.value.message_dict["parent"][0]
    assert thread.comments.count() == 0


def test_a_closed_thread_takes_no_comments():
    thread = make_thread(closed=True)
    with pytest.raises(CommentRefused) as refused:
        make_comment(thread)
    assert "closed" in refused.value.message_dict["__all__"][0]


def test_a_thread_closed_after_the_poster_read_it_takes_no_comment_and_counts_nothing():
    thread = make_thread()
    make_comment(thread)
    as_read = Thread.objects.get(pk=thread.pk)  # what a request loaded before the close
    thread_set_closed(thread=thread, closed=True)

    with pytest.raises(CommentRefused) as refused:
        make_comment(as_read, "Posted as the thread closed.")

    assert "closed" in refused.value.message_dict["__all__"][0]
    assert list(Comment.objects.values_list("body", flat=True)) == ["A fair point."]
    thread.refresh_from_db()
    assert (thread.comment_count, thread.top_level_count) == (1, 1)


def test_a_thread_reopened_after_the_poster_read_it_takes_the_comment():
    thread = make_thread(closed=True)
    as_read = Thread.objects.get(pk=thread.pk)
    thread_set_closed(thread=thread, closed=False)

    comment = make_comment(as_read)

    assert comment.status == Comment.Status.PUBLISHED and comment.number == 1


def test_a_thread_turned_members_only_after_a_guest_read_it_refuses_the_guest():
    thread = make_thread()
    as_read = Thread.objects.get(pk=thread.pk)
    thread_update(thread=thread, is_closed=False, guests_allowed=False)

    with pytest.raises(CommentRefused) as refused:
        make_comment(as_read)

    assert "sign in" in refused.value.message_dict["__all__"][0].lower()
    assert Comment.objects.count() == 0


@pytest.mark.parametrize("key", ["k\x001", "k\ud8001"], ids=["NUL", "lone surrogate"])
def test_an_idempotency_key_the_database_cannot_hold_is_refused_and_nothing_is_saved(key):
    # The JSON API takes any string as the key; PostgreSQL refuses a NUL in text outright.
    thread = make_thread()
    with pytest.raises(CommentRefused) as refused:
        make_comment(thread, idempotency_key=key)
    assert "idempotency key" in refused.value.message_dict["idempotency_key"][0]
    assert Comment.objects.count() == 0


def test_the_same_idempotency_key_makes_exactly_one_comment():
    thread = make_thread()
    first = make_comment(thread, idempotency_key="k1")
    again = make_comment(thread, idempotency_key="k1")
    assert again.pk == first.pk
    assert Comment.objects.count() == 1
    thread.refresh_from_db()
    assert thread.comment_count == 1


def test_the_sanitised_html_is_stored_with_the_comment():
    thread = make_thread()
    comment = make_comment(thread, "**bold**")
    assert Comment.objects.values_list("html", flat=True).get(pk=comment.pk) == (
        "<p><strong>bold</strong></p>"
    )


def test_replies_stop_nesting_at_the_maximum_depth(monkeypatch):
    monkeypatch.setattr(Comment, "MAX_DEPTH", 2)
    thread = make_thread()
    top = make_comment(thread)
    reply = make_comment(thread, parent=top)
    deepest = make_comment(thread, parent=reply)
    with pytest.raises(CommentRefused) as refused:
        make_comment(thread, parent=deepest)
    assert "nested as deeply as it can go" in refused.value.message_dict["parent"][0]


def test_a_reply_at_the_maximum_depth_fits_its_path_column():
    thread = make_thread()
    parent = make_comment(thread)
    for _ in range(Comment.MAX_DEPTH):
        parent = make_comment(thread, parent=parent)
    parent.refresh_from_db()
    assert parent.depth == Comment.MAX_DEPTH
    assert len(parent.path) <= Comment._meta.get_field("path").max_length
