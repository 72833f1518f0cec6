"""A decision already taken is not taken again: rejecting a rejected comment, approving an
approved one, featuring a featured one, pre-moderating a reader already pre-moderated or banning
for good one banned for good is refused, and writes nothing (no second audit entry, no second
email, no second count in the transparency report)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission

from discussion.models import Comment
from discussion.services import comment_create
from discussion.tests.factories import make_thread
from moderation.actions import (
    ActionError,
    ApproveComment,
    BanReader,
    DecideAppeal,
    FeatureComment,
    ForcePremoderation,
    RejectComment,
)
from moderation.models import Appeal, CommentReview, ModerationAction, ReaderStanding
from moderation.selectors import monthly_report
from moderation.services import report_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("email_tasks_run_as_queued")]


@pytest.fixture
def moderator(django_user_model):
    user = django_user_model.objects.create_user("mod", "mod@example.com", "pw-long-enough")
    user.user_permissions.add(Permission.objects.get(codename="moderate_comments"))
    return django_user_model.objects.get(pk=user.pk)


@pytest.fixture
def moderator_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-long-enough")
    client.force_login(user)
    return client


def _comment(body="Buy cheap pills at my shop, today only."):
    return comment_create(
        thread=make_thread(), body=body, author_name="Taras", author_email="taras@example.com"
    )


def _rejections_in_the_report() -> int:
    return sum(
        count
        for month in monthly_report(months=1)
        for code, count in month["actions"].items()
        if code.startswith("reject:")
    )


def test_rejecting_a_rejected_comment_is_refused_and_writes_nothing(
    moderator, mailoutbox, django_capture_on_commit_callbacks
):
    comment = _comment()
    with django_capture_on_commit_callbacks(execute=True):
        RejectComment(comment=comment, user=moderator, reason_code="spam").execute()
    stale = Comment.objects.get(pk=comment.pk)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ActionError) as refused:
        RejectComment(comment=stale, user=moderator, reason_code="abuse").execute()

    assert "rejected already" in str(refused.value)
    assert ModerationAction.objects.filter(kind="reject", comment=comment).count() == 1
    assert len(mailoutbox) == 1
    assert _rejections_in_the_report() == 1


def test_a_reject_sent_from_a_page_loaded_before_the_first_one_is_refused(moderator):
    """The second tab's copy of the comment still says "published": the row decides."""
    comment = _comment()
    loaded_by_the_second_tab = Comment.objects.get(pk=comment.pk)
    RejectComment(comment=comment, user=moderator, reason_code="spam").execute()

    with pytest.raises(ActionError):
        RejectComment(
            comment=loaded_by_the_second_tab, user=moderator, reason_code="spam"
        ).execute()

    assert ModerationAction.objects.filter(kind="reject").count() == 1


def test_rejecting_again_from_the_rejected_queue_says_so_and_changes_nothing(
    moderator_client, mailoutbox, django_capture_on_commit_callbacks
):
    comment = _comment()
    card = f"/admin/moderation/reviews/{comment.review.pk}/act/"
    form = {"action": "reject", "reason_code": "spam", "next": "/admin/moderation/queue/rejected/"}
    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(card, form)

    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(card, form, follow=True)

    assert "This comment is rejected already, so nothing was done" in response.content.decode()
    assert ModerationAction.objects.filter(kind="reject").count() == 1
    assert len(mailoutbox) == 1


def test_a_bulk_reject_of_rejected_comments_rejects_none_of_them_again(moderator_client):
    comment = _comment()
    RejectComment(comment=comment, user=None, automated=True, reason_code="spam").execute()

    response = moderator_client.post(
        "/admin/moderation/bulk/",
        {"action": "reject", "reason_code": "spam", "review": [comment.review.pk]},
        follow=True,
    )

    assert "The comment by Taras: This comment is rejected already" in response.content.decode()
    assert ModerationAction.objects.filter(kind="reject").count() == 1


def test_approving_an_approved_comment_is_refused(moderator):
    comment = _comment(body="A fair point about the talks.")
    ApproveComment(comment=comment, user=moderator).execute()

    with pytest.raises(ActionError, match="approved already"):
        ApproveComment(comment=comment, user=moderator).execute()

    assert ModerationAction.objects.filter(kind="approve").count() == 1


def test_approving_an_approved_comment_reported_since_answers_the_report(moderator):
    comment = _comment(body="A fair point about the talks.")
    ApproveComment(comment=comment, user=moderator).execute()
    report_create(comment=comment, reporter_key="guest:r1", network="198.51.100.7", reason="spam")

    ApproveComment(comment=comment, user=moderator).execute()

    assert ModerationAction.objects.filter(kind="approve").count() == 2
    assert CommentReview.objects.get(comment=comment).last_report is None


def test_approving_a_published_comment_no_moderator_approved_is_still_done(moderator):
    comment = _comment(body="A fair point about the talks.")  # published, unmoderated

    ApproveComment(comment=comment, user=moderator).execute()

    assert ModerationAction.objects.filter(kind="approve").count() == 1


def test_featuring_a_featured_comment_is_refused(moderator):
    comment = _comment(body="A fair point about the talks.")
    FeatureComment(comment=comment, user=moderator).execute()

    with pytest.raises(ActionError, match="featured already"):
        FeatureComment(comment=comment, user=moderator).execute()

    assert ModerationAction.objects.filter(kind="feature").count() == 1


def test_pre_moderating_a_reader_already_pre_moderated_is_refused(moderator):
    ForcePremoderation(reader_key="guest:g1", user=moderator).execute()

    with pytest.raises(ActionError, match="already wait for a moderator"):
        ForcePremoderation(reader_key="guest:g1", user=moderator).execute()

    assert ModerationAction.objects.filter(kind="premoderate").count() == 1


def test_banning_for_good_a_reader_banned_for_good_is_refused(moderator):
    BanReader(reader_key="guest:g1", user=moderator, reason_code="spam").execute()

    with pytest.raises(ActionError, match="banned permanently already"):
        BanReader(reader_key="guest:g1", user=moderator, reason_code="spam").execute()

    assert ModerationAction.objects.filter(kind="ban").count() == 1
    assert ReaderStanding.objects.get(reader_key="guest:g1").banned


def test_an_appeal_upheld_twice_from_one_loaded_page_is_decided_once(moderator):
    comment = _comment()
    entry = RejectComment(comment=comment, user=moderator, reason_code="spam").execute()
    appeal = Appeal.objects.create(action=entry, comment=comment, text="It was not spam.")
    loaded_twice = [Appeal.objects.get(pk=appeal.pk) for _ in range(2)]

    DecideAppeal(appeal=loaded_twice[0], uphold=True, user=moderator).execute()
    with pytest.raises(ActionError, match="decided already"):
        DecideAppeal(appeal=loaded_twice[1], uphold=True, user=moderator).execute()

    assert ModerationAction.objects.filter(kind="appeal_upheld").count() == 1


def test_the_rejected_queue_offers_no_reject_for_a_rejected_comment(moderator_client):
    comment = _comment()
    RejectComment(comment=comment, user=None, automated=True, reason_code="spam").execute()

    page = BeautifulSoup(
        moderator_client.get("/admin/moderation/queue/rejected/").content, "html.parser"
    )

    [card] = page.select("[data-mod-card]")
    assert card.select("button[value=approve]")  # it may still be approved
    assert not card.select("form.mod-reject")


def test_upholding_an_appeal_on_a_comment_its_author_deleted_since_is_refused(
    moderator, django_user_model
):
    """A rejected comment with replies that its author deletes after appealing stays as an empty
    shell: upholding the appeal published that shell, an empty comment in the author's name."""
    from discussion.own_comments import comment_delete

    author = django_user_model.objects.create_user("taras", "t@example.com", "pw-long-enough")
    comment = comment_create(
        thread=make_thread(), body="Buy cheap pills at my shop.", author_name="Taras",
        user_id=author.pk,
    )  # fmt: skip
    comment_create(thread=comment.thread, parent_id=comment.pk, body="Reported.", author_name="Ola")
    entry = RejectComment(comment=comment, user=moderator, reason_code="spam").execute()
    appeal = Appeal.objects.create(action=entry, comment=comment, text="It was not spam.")
    comment_delete(comment=Comment.objects.get(pk=comment.pk), user_id=author.pk)

    with pytest.raises(ActionError, match="deleted"):
        DecideAppeal(appeal=Appeal.objects.get(pk=appeal.pk), uphold=True, user=moderator).execute()

    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.DELETED
    assert not ModerationAction.objects.filter(kind="appeal_upheld").exists()
