"""An edit page opened within the edit window can be saved for ten times the window after it was
opened (WCAG 2.2.1, "Adjust"), on the strength of a signed opening time bound to the comment; a
missing, forged, altered, late or borrowed one counts for nothing, and nothing is changed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import signing

from discussion.edit_window import edit_opened_token, edit_save_deadline
from discussion.errors import CommentRefused
from discussion.models import Comment
from discussion.own_comments import comment_edit
from discussion.tests.factories import make_comment, make_thread
from discussion.tests.readers import make_reader

pytestmark = pytest.mark.django_db

WINDOW = timedelta(minutes=15)


@pytest.fixture(autouse=True)
def _fifteen_minutes(settings):
    settings.COMMENT_EDIT_WINDOW_MINUTES = 15


@pytest.fixture
def ada():
    return make_reader("Ada")


@pytest.fixture
def comment(ada) -> Comment:
    return make_comment(make_thread(), "First thoughts.", name="Ada", user_id=ada.pk)


def _edit(comment: Comment, ada, *, token: str, at: timedelta) -> None:
    comment_edit(
        comment=comment,
        body="Second thoughts, slowly typed.",
        user_id=ada.pk,
        opened_token=token,
        now=comment.created_at + at,
    )


def _unchanged(comment: Comment) -> bool:
    comment.refresh_from_db()
    return comment.body == "First thoughts." and comment.edited_at is None


def test_a_page_opened_in_the_window_saves_long_after_it_has_closed(comment, ada):
    token = edit_opened_token(comment=comment, now=comment.created_at + timedelta(minutes=14))

    _edit(comment, ada, token=token, at=timedelta(minutes=14) + 10 * WINDOW)

    comment.refresh_from_db()
    assert comment.body == "Second thoughts, slowly typed."


def test_the_grace_is_ten_windows_from_the_opening_and_no_more(comment, ada):
    opened = comment.created_at + timedelta(minutes=5)
    token = edit_opened_token(comment=comment, now=opened)
    assert edit_save_deadline(comment=comment, token=token) == opened + 10 * WINDOW

    with pytest.raises(CommentRefused, match="150 minutes"):
        _edit(comment, ada, token=token, at=timedelta(minutes=5) + 10 * WINDOW + timedelta(1))

    assert _unchanged(comment)


def _forged(comment: Comment) -> dict[str, str]:
    opened = (comment.created_at + timedelta(minutes=1)).timestamp()
    good = edit_opened_token(comment=comment, now=comment.created_at + timedelta(minutes=1))
    other = make_comment(comment.thread, "Not mine.", name="Bo")
    return {
        "none": "",
        "unsigned time": str(opened),
        "altered": good[:-2] + ("AA" if not good.endswith("AA") else "BB"),
        "another salt": signing.dumps([comment.pk, opened], salt="something.else"),
        "another comment's": edit_opened_token(
            comment=other, now=comment.created_at + timedelta(minutes=1)
        ),
        "opened after the window": edit_opened_token(
            comment=comment, now=comment.created_at + timedelta(minutes=16)
        ),
        "not a pair": signing.dumps({"c": comment.pk}, salt="discussion.edit-window.opened"),
    }


@pytest.mark.parametrize(
    "kind",
    [
        "none",
        "unsigned time",
        "altered",
        "another salt",
        "another comment's",
        "opened after the window",
        "not a pair",
    ],
)
def test_after_the_window_a_bad_token_gives_no_extra_time_and_changes_nothing(comment, ada, kind):
    token = _forged(comment)[kind]

    with pytest.raises(CommentRefused, match="nothing was changed"):
        _edit(comment, ada, token=token, at=timedelta(minutes=20))

    assert edit_save_deadline(comment=comment, token=token) == comment.created_at + WINDOW
    assert _unchanged(comment)


def test_within_the_window_no_token_is_needed(comment, ada):
    _edit(comment, ada, token="", at=timedelta(minutes=10))

    comment.refresh_from_db()
    assert comment.body == "Second thoughts, slowly typed."
