"""Every trick the normalisation step exists for, posted for real: a banned word still refuses."""

from __future__ import annotations

import unicodedata

import pytest

from discussion.errors import CommentRefused
from discussion.models import Comment
from discussion.services import comment_create
from discussion.tests.factories import make_thread
from moderation.models import Rule
from moderation.normalise import _LOOKALIKES, fold, skeleton

pytestmark = pytest.mark.django_db

BYPASSES = {
    "plain": "you are a zorkbat",
    "upper case": "YOU ARE A ZORKBAT",
    "spaced out": "you are a z o r k b a t",
    "dotted": "you are a z.o.r.k.b.a.t",
    "hyphenated": "you are a z-o-r-k-b-a-t",
    "zero-width space": "you are a zork\u200bbat",
    "zero-width joiner": "you are a zo\u200drkbat",
    "soft hyphen": "you are a zork\u00adbat",
    "Cyrillic look-alikes": "you are a zоrkbаt",  # о and а are Cyrillic
    "Greek look-alikes": "you are a zοrkbατ",  # ο, α, τ are Greek
    "full-width letters": "you are a ｚｏｒｋｂａｔ",
    "mathematical bold": "you are a 𝐳𝐨𝐫𝐤𝐛𝐚𝐭",
    "digits for letters": "you are a z0rkb4t",
    "stretched letters": "you are a zoooorkbaaaat",
    "accents": "you are a zörkbát",
    "plural": "you are zorkbats",
}
# Bidi overrides and isolates never reach the rules: a comment with one is refused first
# (discussion/tests/test_direction_controls.py).


@pytest.fixture
def banned_word():
    Rule.objects.create(kind=Rule.Kind.BANNED, pattern="zorkbat")


@pytest.mark.parametrize("body", BYPASSES.values(), ids=BYPASSES.keys())
def test_a_banned_word_is_refused_however_it_is_disguised(banned_word, body):
    with pytest.raises(CommentRefused) as refusal:
        comment_create(thread=make_thread(), body=body, author_name="Troll")
    assert "does not allow" in refusal.value.message_dict["body"][0]
    assert Comment.objects.count() == 0


def test_a_word_that_merely_contains_a_banned_word_is_not_refused(banned_word):
    comment = comment_create(
        thread=make_thread(), body="The zorkbatteries arrived today.", author_name="Ann"
    )
    assert comment.status == Comment.Status.PUBLISHED


def test_the_comment_is_stored_as_typed_not_as_normalised(banned_word):
    body = "Ｆｕｌｌ-width text and a zero\u200bwidth space stay as typed."
    comment = comment_create(thread=make_thread(), body=body, author_name="Ann")
    assert Comment.objects.get(pk=comment.pk).body == body


def _fold_letter_by_letter(text: str) -> str:
    """``fold`` as it reads any text: NFKC, format characters dropped, case folded, NFKC."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(char for char in text if unicodedata.category(char) != "Cf")
    return unicodedata.normalize("NFKC", text.casefold())


ASCII_TEXTS = [
    "".join(chr(code) for code in range(128)),  # every ASCII character, controls included
    "YOU ARE A Z0RKB4T!! See www.example.com/Path?Q=1 & $ave 10%",
    "  Mixed\tCase \n\n with   spaces | pipes @ signs ",
    "",
]


@pytest.mark.parametrize("text", ASCII_TEXTS)
def test_plain_ascii_text_is_folded_and_skeletoned_as_any_text_is(text):
    """ASCII takes a shorter path (no letter-by-letter look); it must read the same."""
    folded = _fold_letter_by_letter(text)
    assert fold(text) == folded
    decomposed = unicodedata.normalize("NFKD", folded.translate(_LOOKALIKES))
    expected = "".join(char for char in decomposed if not unicodedata.combining(char))
    assert skeleton(text) == " ".join(expected.split())
