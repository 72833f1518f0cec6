"""Screening reads what it needs once per comment, and nothing it read outlives that comment."""

from __future__ import annotations

import pytest

from discussion import screening
from discussion.errors import CommentRefused
from discussion.models import Comment
from discussion.services import comment_create
from discussion.tests.factories import make_thread
from moderation.models import ModerationSettings, ReaderStanding

pytestmark = pytest.mark.django_db


def _submission(thread, body: str, **fields) -> screening.Submission:
    return screening.Submission(
        thread_id=thread.pk,
        body=body,
        author_name="Olena",
        user_id=None,
        parent_id=None,
        ip_address="203.0.113.5",
        source="reader",
        guest_key="g1",
        **fields,
    )


def test_a_readers_comment_is_screened_reading_the_page_and_the_reader_once(
    settings, django_assert_num_queries
):
    settings.MODERATION_TRUST_FIRST_COMMENTS = 2
    thread = make_thread()
    ModerationSettings.objects.create(page=thread.page, close_after_days=30)
    screening.screen(_submission(thread, "Warming up the compiled rules."))

    # The page, then in one query its moderation settings (for the closing age and the
    # moderation mode) and the reader's past: their standing (for bans and pre-moderation),
    # their published comments so far and whether they sent this text before. The scorer
    # thresholds come with the word rules, read once per change of either.
    with django_assert_num_queries(2):
        verdict = screening.screen(_submission(thread, "A fair point about the talks."))

    assert verdict.outcome == "hold" and "new_commenter" in verdict.codes


def test_a_comment_screened_with_its_page_at_hand_does_not_read_the_page_again(
    settings, django_assert_num_queries
):
    settings.MODERATION_TRUST_FIRST_COMMENTS = 2
    thread = make_thread()
    ModerationSettings.objects.create(page=thread.page, close_after_days=30)
    screening.screen(_submission(thread, "Warming up the compiled rules."))

    # As above, less the page: the article the reader posted to was read to route the request.
    with django_assert_num_queries(1):
        verdict = screening.screen(
            _submission(thread, "A fair point about the talks.", page=thread.page)
        )

    assert verdict.outcome == "hold" and "new_commenter" in verdict.codes


def test_a_reader_banned_between_two_comments_is_refused_the_second():
    thread = make_thread()
    first = comment_create(
        thread=thread,
        body="A fair point about the talks.",
        author_name="Olena",
        source="reader",
        guest_key="g1",
    )
    assert first.status == Comment.Status.PUBLISHED
    ReaderStanding.objects.create(reader_key="guest:g1", banned=True)

    with pytest.raises(CommentRefused) as refusal:
        comment_create(
            thread=thread,
            body="And another thought on them.",
            author_name="Olena",
            source="reader",
            guest_key="g1",
        )

    assert "cannot comment" in refusal.value.message_dict["body"][0]
    assert Comment.objects.count() == 1
