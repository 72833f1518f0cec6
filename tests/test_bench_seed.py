"""The bench's bulk seeder writes each comment's review as screening would have: at the time the
comment was posted. Stamped with the time of the load, all 300,000 of a seeded site's reviews fell
in the moderation dashboard's last 48 hours, which then read every one of them."""

from __future__ import annotations

import pytest

from discussion.models import Comment
from discussion.tests.factories import make_thread
from moderation.models import CommentReview

pytestmark = pytest.mark.django_db


def test_a_seeded_comments_review_is_dated_when_the_comment_was_posted():
    from bench import seed

    thread = make_thread()
    writer = seed.Writer(seed.Pool())
    writer.thread(thread.pk, "nested", 8, writer.next_id, seed.EPOCH)
    writer.flush()

    posted = dict(Comment.objects.filter(thread=thread).values_list("id", "created_at"))
    reviewed = dict(
        CommentReview.objects.filter(thread=thread).values_list("comment_id", "created_at")
    )
    assert len(posted) == 8
    assert reviewed == posted
