"""An automatic hold (reader reports reaching their threshold, a campaign found) takes down only a
comment that is published when it acts, read as it stands, locked with its thread, not as the
page or the scan that led to it read it.

Before, the report that brought the third network, sent from a page loaded just before a
moderator rejected the comment, put the rejected comment back to "pending": its author's
statement no longer said it was rejected nor offered the appeal, it waited in the Reported queue
as if no moderator had decided, and the transparency report counted a hold after the rejection.
"""

from __future__ import annotations

import pytest

from discussion.models import Comment
from discussion.own_comments import comment_delete
from discussion.services import comment_create
from discussion.tests.factories import make_thread
from moderation.actions import RejectComment
from moderation.models import CommentReview, ModerationAction, Report
from moderation.services import ModerationRefused, report_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported_twice(settings):
    settings.MODERATION_REPORTS_TO_HOLD = 3
    comment = comment_create(
        thread=make_thread(), body="A plain remark on the budget.", author_name="Olena"
    )
    for n in range(2):
        report_create(
            comment=comment, reporter_key=f"guest:r{n}", network=f"198.51.100.{n}", reason="abuse"
        )
    return comment


def test_the_report_that_would_take_it_down_leaves_a_comment_rejected_meanwhile_rejected(
    reported_twice, moderator
):
    loaded_by_the_reporter = Comment.objects.get(pk=reported_twice.pk)
    RejectComment(
        comment=Comment.objects.get(pk=reported_twice.pk), user=moderator, reason_code="abuse"
    ).execute()

    # The report is refused as the comment now stands (services._still_published): it would
    # have waited in the Reported queue on a comment no reader sees.
    with pytest.raises(ModerationRefused, match="already with the moderators"):
        report_create(
            comment=loaded_by_the_reporter,
            reporter_key="guest:r9",
            network="198.51.100.9",
            reason="abuse",
        )

    assert Comment.objects.get(pk=reported_twice.pk).status == Comment.Status.REJECTED
    assert CommentReview.objects.get(comment=reported_twice).state == "rejected"
    assert not ModerationAction.objects.filter(kind="hold").exists()
    assert Report.objects.filter(comment=reported_twice).count() == 2


def test_a_report_sent_as_its_author_deletes_the_comment_leaves_the_shell_deleted(
    reported_twice,
):
    loaded_by_the_reporter = Comment.objects.get(pk=reported_twice.pk)
    comment_create(
        thread=reported_twice.thread,
        parent_id=reported_twice.pk,
        body="A reply that keeps its shell.",
        author_name="Taras",
    )
    comment_delete(
        comment=Comment.objects.get(pk=reported_twice.pk),
        user_id=None,
        guest_comment_ids=frozenset({reported_twice.pk}),
    )

    with pytest.raises(ModerationRefused, match="nothing to report"):
        report_create(
            comment=loaded_by_the_reporter,
            reporter_key="guest:r9",
            network="198.51.100.9",
            reason="abuse",
        )

    assert Comment.objects.get(pk=reported_twice.pk).status == Comment.Status.DELETED
    assert not ModerationAction.objects.filter(kind="hold").exists()
