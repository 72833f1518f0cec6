"""A reader's own comments: edit within the window, keep earlier versions, delete with a shell."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from discussion.errors import CommentForbidden, CommentRefused
from discussion.models import Comment, CommentRevision, Thread
from discussion.own_comments import comment_delete, comment_edit, comments_of_reader_erase
from discussion.tests.factories import make_comment, make_thread
from discussion.tests.readers import make_reader

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada():
    return make_reader("Ada")


@pytest.fixture
def thread():
    return make_thread()


def _mine(thread, user, body="First thoughts."):
    return make_comment(thread, body, name="Ada", user_id=user.pk)


def test_editing_within_the_window_changes_the_text_and_keeps_the_old_one(thread, ada):
    comment = _mine(thread, ada)
    comment_edit(comment=comment, body="Second thoughts.", user_id=ada.pk)
    comment.refresh_from_db()
    assert comment.body == "Second thoughts."
    assert "Second thoughts." in comment.html
    assert comment.edited_at is not None
    assert list(CommentRevision.objects.values_list("body", flat=True)) == ["First thoughts."]


def test_editing_after_the_window_is_refused_and_changes_nothing(thread, ada, settings):
    settings.COMMENT_EDIT_WINDOW_MINUTES = 15
    comment = _mine(thread, ada)
    later = timezone.now() + timedelta(minutes=16)
    with pytest.raises(CommentRefused, match="15 minutes"):
        comment_edit(comment=comment, body="Too late.", user_id=ada.pk, now=later)
    comment.refresh_from_db()
    assert comment.body == "First thoughts." and comment.edited_at is None


def test_editing_someone_elses_comment_is_forbidden(thread, ada):
    comment = _mine(thread, ada)
    eve = make_reader("Eve")
    with pytest.raises(CommentForbidden):
        comment_edit(comment=comment, body="Hijacked.", user_id=eve.pk)


def test_an_edit_to_an_empty_comment_is_refused(thread, ada):
    comment = _mine(thread, ada)
    with pytest.raises(CommentRefused, match="write your comment"):
        comment_edit(comment=comment, body="   ", user_id=ada.pk)


def test_a_guest_may_edit_only_comments_their_cookie_names(thread):
    comment = make_comment(thread, "Guest text.", name="Visitor")
    with pytest.raises(CommentForbidden):
        comment_edit(comment=comment, body="Changed.", user_id=None)
    comment_edit(
        comment=comment, body="Changed.", user_id=None, guest_comment_ids=frozenset({comment.pk})
    )
    comment.refresh_from_db()
    assert comment.body == "Changed."


def test_deleting_a_comment_with_replies_leaves_a_shell(thread, ada):
    comment = _mine(thread, ada)
    make_comment(thread, "A reply.", name="Bob", parent=comment)
    shell = comment_delete(comment=comment, user_id=ada.pk)
    assert shell.status == Comment.Status.DELETED
    assert shell.body == "" and shell.html == ""
    assert CommentRevision.objects.get(comment=comment).body == "First thoughts."
    assert Thread.objects.get(pk=thread.pk).comment_count == 1  # the reply


def test_deleting_a_comment_without_replies_removes_it_and_its_count(thread, ada):
    root = make_comment(thread, "Root.", name="Bob")
    reply = make_comment(thread, "Mine.", name="Ada", user_id=ada.pk, parent=root)
    assert comment_delete(comment=reply, user_id=ada.pk) is None
    assert not Comment.objects.filter(pk=reply.pk).exists()
    root.refresh_from_db()
    assert root.reply_count == 0
    assert Thread.objects.get(pk=thread.pk).comment_count == 1


def test_a_guest_cannot_delete_after_the_window(thread):
    comment = make_comment(thread, "Guest text.", name="Visitor")
    with pytest.raises(CommentRefused, match="has passed"):
        comment_delete(
            comment=comment,
            user_id=None,
            guest_comment_ids=frozenset({comment.pk}),
            now=timezone.now() + timedelta(hours=1),
        )


def test_erasing_a_reader_with_keep_shows_comments_under_deleted_account(thread, ada):
    comment = _mine(thread, ada)
    comments_of_reader_erase(user_id=ada.pk, mode="keep")
    comment.refresh_from_db()
    assert comment.author_name == "Deleted account" and comment.author_id is None
    assert comment.body == "First thoughts."


def test_erasing_a_reader_with_remove_deletes_comments_and_shells_those_with_replies(thread, ada):
    lonely = _mine(thread, ada, body="Nobody answered.")
    answered = _mine(thread, ada, body="Someone answered.")
    make_comment(thread, "Answer.", name="Bob", parent=answered)
    comments_of_reader_erase(user_id=ada.pk, mode="remove")
    assert not Comment.objects.filter(pk=lonely.pk).exists()
    answered.refresh_from_db()
    assert answered.status == Comment.Status.DELETED
    assert answered.author_name == "Deleted account" and answered.body == ""
