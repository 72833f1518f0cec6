"""The screening registry's contract, as another app sees it."""

from __future__ import annotations

import pytest

from discussion import screening
from discussion.models import Comment
from discussion.services import comment_create
from discussion.tests.factories import make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded():
    seen = []

    def hook(comment, submission, verdict):
        # Inside the saving transaction, with the comment's id (its row may come just after).
        seen.append((comment.pk, submission, verdict))

    screening.register_step(
        "test.scores",
        lambda s: screening.Verdict("publish", codes=("looked",), scores={"test": 0.25}),
        order=1,
    )
    screening.register_on_saved("test.hook", hook)
    yield seen
    screening.unregister_step("test.scores")
    screening.unregister_on_saved("test.hook")


def test_codes_and_scores_from_every_step_reach_the_saved_hook(recorded):
    comment_create(thread=make_thread(), body="Hello", author_name="Ann", source="reader")
    [(comment_id, submission, verdict)] = recorded
    assert Comment.objects.filter(pk=comment_id).exists()
    assert submission.source == "reader"
    assert "looked" in verdict.codes and verdict.scores["test"] == 0.25


def test_a_refused_comment_reaches_no_hook(recorded):
    screening.register_step(
        "test.refuse", lambda s: screening.Verdict("reject", ("No.",), ("nope",)), order=2
    )
    try:
        with pytest.raises(Exception, match="No."):
            comment_create(thread=make_thread(), body="Hello", author_name="Ann")
    finally:
        screening.unregister_step("test.refuse")
    assert recorded == []


def test_a_comment_refused_after_its_hooks_ran_leaves_none_of_their_rows():
    """The thread closed between the reader's form being checked and the comment being saved:
    moderation's hook has written the comment's review by then, and it goes with the comment."""
    from discussion.errors import CommentRefused
    from discussion.models import Thread
    from moderation.models import CommentReview

    thread = make_thread()
    Thread.objects.filter(pk=thread.pk).update(is_closed=True)  # ``thread`` still says open

    with pytest.raises(CommentRefused, match="closed"):
        comment_create(thread=thread, body="Just in time?", author_name="Ann", source="reader")

    assert not Comment.objects.filter(thread=thread).exists()
    assert not CommentReview.objects.filter(thread_id=thread.pk).exists()
