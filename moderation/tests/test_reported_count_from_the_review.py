"""The Reported queue's count (on every queue page, the admin home and the tabs' polls) is read
from the reviews' ``review_reported`` index alone, never from each reported comment's row: every
path that rejects or deletes a comment clears its review's unanswered report, so a comment no
reader can see any longer leaves the Reported tab's count, and no report can be recorded on
one."""

from __future__ import annotations

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from discussion.models import Comment
from discussion.own_comments import comment_delete, comments_of_reader_erase
from discussion.tests.factories import make_comment, make_thread
from moderation.actions import (
    ApproveComment,
    DecideAppeal,
    RejectComment,
    RejectRecentComments,
    text_token,
)
from moderation.campaigns import campaign_remove
from moderation.models import Appeal, Campaign, CommentReview
from moderation.selectors import queue_counts, waiting_for_moderators
from moderation.services import ModerationRefused, report_create
from moderation.tests.test_campaigns import _campaign_of_three

pytestmark = pytest.mark.django_db

_networks = itertools.count(1)


def _report(comment: Comment, *, reports: int = 1) -> Comment:
    for n in range(reports):
        network = f"2001:db8:0:{next(_networks):x}::/64"
        report_create(
            comment=comment, reporter_key=f"guest:reader-{n}", network=network, reason="abuse"
        )
    return comment


def _reported(body: str = "The council wasted the money.", **kwargs) -> Comment:
    return _report(make_comment(make_thread(), body, name="Olena", **kwargs))


def _reported_count() -> int:
    return queue_counts()["reported"]


def test_the_reported_count_reads_no_comment_row():
    _reported()

    with CaptureQueriesContext(connection) as queries:
        assert waiting_for_moderators().reported == 1
    # One bounded scan of the review_reported index: it joined each reported comment's row to
    # check it was still there (30-60 ms for 2,300 open reports, growing with the backlog).
    reported_sql = [q["sql"] for q in queries.captured_queries if "last_report_id" in q["sql"]]
    assert len(reported_sql) == 1
    assert "discussion_comment" not in reported_sql[0]


def test_a_moderators_rejection_takes_the_comment_out_of_the_reported_count(moderator_client):
    comment = _reported()
    assert _reported_count() == 1

    RejectComment(comment=comment, user=None, automated=True, reason_code="abuse").execute()

    assert _reported_count() == 0


def test_a_rejection_from_the_queue_card_takes_it_out_of_the_reported_count(moderator_client):
    comment = _reported()
    review = CommentReview.objects.get(comment=comment)

    moderator_client.post(
        f"/admin/moderation/reviews/{review.pk}/act/",
        {"action": "reject", "reason_code": "abuse", "seen": text_token(comment.body)},
    )

    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.REJECTED
    assert _reported_count() == 0


def test_a_bulk_rejection_takes_each_comment_out_of_the_reported_count(moderator_client):
    comments = [_reported(f"The council wasted the money, {n}.") for n in range(3)]
    reviews = CommentReview.objects.filter(comment__in=comments)
    form = {"action": "reject", "reason_code": "abuse", "review": [r.pk for r in reviews]}
    for review in reviews:
        form[f"seen-{review.pk}"] = text_token(review.comment.body)

    moderator_client.post("/admin/moderation/bulk/", form)

    assert set(Comment.objects.values_list("status", flat=True)) == {Comment.Status.REJECTED}
    assert _reported_count() == 0


def test_rejecting_a_readers_recent_comments_takes_them_out_of_the_reported_count(moderator):
    comment = _reported()
    reader_key = CommentReview.objects.get(comment=comment).reader_key

    RejectRecentComments(reader_key=reader_key, user=moderator, reason_code="spam").execute()

    assert _reported_count() == 0


def test_removing_a_campaign_takes_its_reported_comments_out_of_the_reported_count(moderator):
    campaign, comments = _campaign_of_three()
    ApproveComment(comment=comments[0], user=moderator).execute()  # up, and then reported
    _report(Comment.objects.get(pk=comments[0].pk))
    assert _reported_count() == 1

    campaign_remove(campaign=Campaign.objects.get(pk=campaign.pk), user=moderator)

    assert Comment.objects.get(pk=comments[0].pk).status == Comment.Status.REJECTED
    assert _reported_count() == 0


def test_its_author_deleting_a_reported_comment_takes_it_out_of_the_reported_count(
    django_user_model,
):
    author = django_user_model.objects.create_user("olena", "olena@example.com")
    comment = _reported(user_id=author.pk)

    assert comment_delete(comment=comment, user_id=author.pk) is None

    assert _reported_count() == 0


def test_its_author_deleting_one_with_replies_leaves_a_shell_out_of_the_reported_count(
    django_user_model,
):
    author = django_user_model.objects.create_user("olena", "olena@example.com")
    comment = _reported(user_id=author.pk)
    make_comment(comment.thread, "I agree.", name="Ira", parent=comment)

    shell = comment_delete(comment=Comment.objects.get(pk=comment.pk), user_id=author.pk)

    assert shell.status == Comment.Status.DELETED
    assert _reported_count() == 0


def test_erasing_an_account_and_its_comments_takes_them_out_of_the_reported_count(
    django_user_model,
):
    author = django_user_model.objects.create_user("olena", "olena@example.com")
    comment = _reported(user_id=author.pk)
    make_comment(comment.thread, "I agree.", name="Ira", parent=comment)

    comments_of_reader_erase(user_id=author.pk, mode="remove")

    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.DELETED
    assert _reported_count() == 0


def test_an_appeal_upheld_on_a_reported_and_rejected_comment_leaves_no_report_waiting(moderator):
    comment = _reported()
    entry = RejectComment(comment=comment, user=moderator, reason_code="abuse").execute()
    appeal = Appeal.objects.create(action=entry, comment=comment, text="It was fair comment.")

    DecideAppeal(appeal=appeal, uphold=True, user=moderator).execute()

    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PUBLISHED
    assert _reported_count() == 0


def test_a_report_sent_from_a_page_read_before_the_comment_was_rejected_is_refused(moderator):
    comment = make_comment(make_thread(), "The council wasted the money.", name="Olena")
    as_the_reader_saw_it = Comment.objects.get(pk=comment.pk)
    RejectComment(comment=comment, user=moderator, reason_code="abuse").execute()

    with pytest.raises(ModerationRefused, match="already with the moderators"):
        _report(as_the_reader_saw_it)

    assert _reported_count() == 0
    assert CommentReview.objects.get(comment=comment).report_count == 0


def test_a_report_sent_from_a_page_read_before_its_author_deleted_it_is_refused(
    django_user_model,
):
    author = django_user_model.objects.create_user("olena", "olena@example.com")
    comment = make_comment(make_thread(), "The council wasted the money.", name="Olena")
    Comment.objects.filter(pk=comment.pk).update(author=author)
    make_comment(comment.thread, "I agree.", name="Ira", parent=comment)
    as_the_reader_saw_it = Comment.objects.get(pk=comment.pk)
    comment_delete(comment=Comment.objects.get(pk=comment.pk), user_id=author.pk)

    with pytest.raises(ModerationRefused, match="deleted this comment"):
        _report(as_the_reader_saw_it)

    assert _reported_count() == 0
