"""The transparency report's month adds up to what happened in it, told end to end: reports that
take a comment down, a rejection appealed and reversed, one appealed and upheld as removed, an
appeal withdrawn by its author's deletion, a warning and a ban. Each decision is counted once,
as automated or by a moderator; a reversal is counted as a reversal, and not again as an
approval; refused second tries (a stale card, a double click) add nothing."""

from __future__ import annotations

import pytest

from discussion.models import Comment
from discussion.own_comments import comment_delete
from discussion.services import comment_create
from discussion.tests.factories import make_thread
from moderation.actions import (
    ActionError,
    ApproveComment,
    BanReader,
    DecideAppeal,
    RejectComment,
    WarnReader,
)
from moderation.models import CommentReview
from moderation.selectors import monthly_report
from moderation.services import appeal_create, report_create

pytestmark = pytest.mark.django_db


def _comment(thread, body: str) -> Comment:
    return comment_create(thread=thread, body=body, author_name="Olena")


def _reject_and_appeal(comment: Comment, moderator):
    rejection = RejectComment(comment=comment, user=moderator, reason_code="abuse").execute()
    key = CommentReview.objects.get(comment=comment).reader_key
    return appeal_create(action=rejection, reader_key=key, text="It was fair comment.")


def test_a_months_figures_add_up_to_what_happened(moderator, settings):
    settings.MODERATION_REPORTS_TO_HOLD = 3
    thread = make_thread()
    reported = _comment(thread, "A remark readers report.")
    for n in range(3):
        report_create(
            comment=reported, reporter_key=f"guest:r{n}", network=f"198.51.100.{n}", reason="abuse"
        )
    reversed_on_appeal = _reject_and_appeal(reported, moderator)
    ApproveComment(comment=reported, user=moderator).execute()  # from the Rejected queue
    with pytest.raises(ActionError):
        DecideAppeal(appeal=reversed_on_appeal, uphold=True, user=moderator).execute()

    upheld_as_removed = _reject_and_appeal(_comment(thread, "A second remark."), moderator)
    DecideAppeal(
        appeal=upheld_as_removed, uphold=False, user=moderator, note="It insults a reader."
    ).execute()

    deleted = _comment(thread, "A third remark.")
    _reject_and_appeal(deleted, moderator)
    comment_delete(comment=deleted, user_id=None, guest_comment_ids=frozenset({deleted.pk}))

    warned = _comment(thread, "A fourth remark.")
    key = CommentReview.objects.get(comment=warned).reader_key
    warn = {"reader_key": key, "comment": warned, "reason_code": "abuse", "user": moderator}
    WarnReader(**warn).execute()
    with pytest.raises(ActionError):
        WarnReader(**warn).execute()  # a double click
    BanReader(reader_key=key, reason_code="abuse", user=moderator).execute()

    [month] = monthly_report(months=1)

    assert month["actions"] == {
        "hold:reported": 1,
        "reject:abuse": 3,
        "appeal_upheld": 1,
        "appeal_denied": 1,
        "warn:abuse": 1,
        "ban:abuse": 1,
    }
    assert (month["automated"], month["human"]) == (1, 7)
    assert (month["reports"], month["appeals"], month["withdrawn"], month["reversals"]) == (
        3,
        3,
        1,
        1,
    )
