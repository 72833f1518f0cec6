"""A moderator's approve or reject acts on the decision their queue page showed, or not at all:
when another moderator (or the same one, in another tab; or reader reports) decided the comment
after the page was shown, the card's button, or the bulk form's, leaves it as it was decided and
says so, and writes no audit entry. A card shown after that decision can still overturn it."""

from __future__ import annotations

import itertools

import pytest
from bs4 import BeautifulSoup

from discussion.models import Comment
from discussion.tests.factories import make_comment, make_thread
from moderation.actions import ApproveComment, DecidedSince, RejectComment, card_token
from moderation.models import CommentReview, ModerationAction
from moderation.services import report_create

pytestmark = pytest.mark.django_db
_networks = itertools.count(1)


@pytest.fixture
def colleague(django_user_model):
    return django_user_model.objects.create_superuser("ola", "ola@example.com", "pw-long-enough")


def _held(n: int = 1) -> list[Comment]:
    """``n`` comments by Olena, held for a moderator (the Pending queue)."""
    thread = make_thread()
    held = [make_comment(thread, f"The minister is a moron ({i}).", name="Olena")
            for i in range(n)]  # fmt: skip
    assert {c.status for c in held} == {Comment.Status.PENDING}
    return held


def _published(n: int = 1) -> list[Comment]:
    """``n`` comments by Olena, published with no moderator's look (the Unmoderated queue)."""
    thread = make_thread()
    comments = [make_comment(thread, f"The council wasted the money ({i}).", name="Olena")
                for i in range(n)]  # fmt: skip
    assert {c.status for c in comments} == {Comment.Status.PUBLISHED}
    return comments


def _report(comment: Comment, times: int = 1) -> None:
    for _ in range(times):
        network = f"2001:db8:0:{next(_networks):x}::/64"
        report_create(comment=comment, reporter_key=f"guest:r{next(_networks)}", network=network,
                      reason="abuse")  # fmt: skip


def _page(moderator_client, queue: str) -> BeautifulSoup:
    response = moderator_client.get(f"/admin/moderation/queue/{queue}/")
    return BeautifulSoup(response.content, "html.parser")


def _card_form(page: BeautifulSoup, comment: Comment, action: str) -> dict:
    """What the card's own form for ``action`` sends, as the page was shown."""
    card = page.find(id=f"review-{comment.review.pk}")
    form = card.select_one(f"button[value={action}]").find_parent("form")
    data = {field["name"]: field.get("value", "") for field in form.select("input[name]")}
    return {**data, "action": action, "reason_code": "spam"}


def _press(moderator_client, comment: Comment, form: dict) -> list[tuple[str, str]]:
    response = moderator_client.post(
        f"/admin/moderation/reviews/{comment.review.pk}/act/", form, follow=True
    )
    return [(m.level_tag, m.message) for m in response.context["messages"]]


def _bulk_form(page: BeautifulSoup, action: str) -> dict:
    """The bulk form as the page has it, with every card ticked."""
    form = page.select_one("#bulk-form")
    data: dict = {field["name"]: field["value"] for field in form.select('input[type="hidden"]')}
    data |= {field["name"]: field["value"] for field in page.select('input[form="bulk-form"]')
             if field["type"] == "hidden"}  # fmt: skip
    data["review"] = [box["value"] for box in page.select('input[name="review"]')]
    return {**data, "action": action, "reason_code": "spam"}


def _bulk(moderator_client, form: dict) -> list[tuple[str, str]]:
    response = moderator_client.post("/admin/moderation/bulk/", form, follow=True)
    return [(m.level_tag, m.message) for m in response.context["messages"]]


def _status(comment: Comment) -> str:
    return Comment.objects.get(pk=comment.pk).status


def _entries(comment: Comment, kind: str) -> int:
    return ModerationAction.objects.filter(comment=comment, kind=kind).count()


# The card's own buttons


def test_approving_from_a_card_shown_before_another_moderator_rejected_it_is_refused(
    moderator_client, colleague
):
    [comment] = _held()
    form = _card_form(_page(moderator_client, "pending"), comment, "approve")
    RejectComment(comment=comment, user=colleague, reason_code="abuse").execute()

    said = _press(moderator_client, comment, form)

    assert _status(comment) == Comment.Status.REJECTED
    assert said == [
        (
            "error",
            "Olena's comment was rejected by another moderator (ola) since this page was shown, "
            "so it was left rejected. To approve it, open it again in the Rejected queue.",
        )
    ]


def test_the_refused_approval_writes_no_audit_entry(moderator_client, colleague):
    [comment] = _held()
    form = _card_form(_page(moderator_client, "pending"), comment, "approve")
    RejectComment(comment=comment, user=colleague, reason_code="abuse").execute()

    _press(moderator_client, comment, form)

    assert _entries(comment, "approve") == 0


def test_opened_again_after_the_refusal_its_card_can_restore_the_comment(
    moderator_client, colleague
):
    """Told it was rejected, the moderator opens it in the Rejected queue and approves it from
    that card, which was shown after the rejection: the comment is published again."""
    [comment] = _held()
    stale = _card_form(_page(moderator_client, "pending"), comment, "approve")
    RejectComment(comment=comment, user=colleague, reason_code="abuse").execute()
    _press(moderator_client, comment, stale)
    fresh = _card_form(_page(moderator_client, "rejected"), comment, "approve")

    said = _press(moderator_client, comment, fresh)

    assert _status(comment) == Comment.Status.PUBLISHED
    assert said == [("success", "Approved the comment by Olena.")]


def test_rejecting_from_a_card_shown_before_another_moderator_approved_it_is_refused(
    moderator_client, colleague
):
    [comment] = _held()
    form = _card_form(_page(moderator_client, "pending"), comment, "reject")
    ApproveComment(comment=comment, user=colleague).execute()

    said = _press(moderator_client, comment, form)

    assert (_status(comment), _entries(comment, "reject")) == (Comment.Status.PUBLISHED, 0)
    assert said == [
        (
            "error",
            "Olena's comment was approved by another moderator (ola) since this page was shown, "
            "so it was left published. To reject it, open it again in the Approved queue.",
        )
    ]


def test_a_decision_made_in_another_tab_is_said_to_be_the_moderators_own(
    moderator_client, moderator
):
    [comment] = _published()
    form = _card_form(_page(moderator_client, "unmoderated"), comment, "approve")
    RejectComment(comment=comment, user=moderator, reason_code="abuse").execute()

    said = _press(moderator_client, comment, form)

    assert _status(comment) == Comment.Status.REJECTED
    assert said == [
        (
            "error",
            "Olena's comment was rejected by you, in another tab or window, since this page was "
            "shown, so it was left rejected. To approve it, open it again in the Rejected queue.",
        )
    ]


def test_keeping_a_reported_comment_another_moderator_rejected_since_is_refused(
    moderator_client, colleague
):
    [comment] = _published()
    _report(comment)
    form = _card_form(_page(moderator_client, "reported"), comment, "approve")
    RejectComment(comment=comment, user=colleague, reason_code="abuse").execute()

    said = _press(moderator_client, comment, form)

    assert _status(comment) == Comment.Status.REJECTED
    assert [level for level, _message in said] == ["error"]
    assert said[0][1].startswith("Olena's comment was rejected by another moderator (ola)")


def test_approving_a_comment_reader_reports_took_down_since_is_refused(moderator_client, settings):
    settings.MODERATION_REPORTS_TO_HOLD = 2
    [comment] = _published()
    form = _card_form(_page(moderator_client, "unmoderated"), comment, "approve")
    _report(comment, times=2)
    assert _status(comment) == Comment.Status.PENDING

    said = _press(moderator_client, comment, form)

    assert (_status(comment), _entries(comment, "approve")) == (Comment.Status.PENDING, 0)
    assert said == [
        (
            "error",
            "Olena's comment was taken down after reader reports since this page was shown, so "
            "it was left hidden from readers. To approve it, open it again in the Reported queue.",
        )
    ]


# The bulk form


def test_a_bulk_approve_approves_the_others_and_counts_those_rejected_since(
    moderator_client, colleague
):
    first, rejected, third = _held(3)
    form = _bulk_form(_page(moderator_client, "pending"), "approve")
    RejectComment(comment=rejected, user=colleague, reason_code="abuse").execute()

    said = _bulk(moderator_client, form)

    assert [_status(c) for c in (first, rejected, third)] == [
        Comment.Status.PUBLISHED,
        Comment.Status.REJECTED,
        Comment.Status.PUBLISHED,
    ]
    assert said == [
        ("success", "Approved 2 comments."),
        (
            "warning",
            "Skipped 1 comment (by Olena): it was rejected by another moderator since this page "
            "was shown, and left as it was; open it again to approve it.",
        ),
    ]


def test_a_bulk_approve_of_only_comments_rejected_since_says_nothing_was_approved(
    moderator_client, colleague
):
    held = _held(2)
    form = _bulk_form(_page(moderator_client, "pending"), "approve")
    for comment in held:
        RejectComment(comment=comment, user=colleague, reason_code="abuse").execute()

    said = _bulk(moderator_client, form)

    assert {_status(c) for c in held} == {Comment.Status.REJECTED}
    assert said == [
        (
            "warning",
            "Nothing was approved: the 2 selected comments were rejected by another moderator "
            "since this page was shown. Open them again to approve them.",
        )
    ]


def test_in_the_reported_queue_nothing_was_done_counts_those_rejected_since(
    moderator_client, colleague
):
    [comment] = _published()
    _report(comment)
    form = _bulk_form(_page(moderator_client, "reported"), "approve")
    RejectComment(comment=comment, user=colleague, reason_code="abuse").execute()

    said = _bulk(moderator_client, form)

    assert _status(comment) == Comment.Status.REJECTED
    assert said == [
        (
            "warning",
            "Nothing was done: the selected comment was rejected by another moderator since this "
            "page was shown. Open it again to approve it.",
        )
    ]


def test_in_the_approved_queue_a_bulk_approve_leaves_a_comment_rejected_since(
    moderator_client, moderator, colleague
):
    [comment] = _held()
    ApproveComment(comment=comment, user=moderator).execute()
    form = _bulk_form(_page(moderator_client, "approved"), "approve")
    RejectComment(comment=comment, user=colleague, reason_code="abuse").execute()

    said = _bulk(moderator_client, form)

    assert _status(comment) == Comment.Status.REJECTED
    assert said == [
        (
            "warning",
            "Nothing was approved: the selected comment was rejected by another moderator since "
            "this page was shown. Open it again to approve it.",
        )
    ]


def test_a_bulk_reject_rejects_the_others_and_counts_those_approved_since(
    moderator_client, colleague
):
    approved, rejected = _held(2)
    form = _bulk_form(_page(moderator_client, "pending"), "reject")
    ApproveComment(comment=approved, user=colleague).execute()

    said = _bulk(moderator_client, form)

    assert [_status(c) for c in (approved, rejected)] == [
        Comment.Status.PUBLISHED,
        Comment.Status.REJECTED,
    ]
    assert said == [
        ("success", "Rejected 1 comment."),
        (
            "warning",
            "Skipped 1 comment (by Olena): it was approved by another moderator since this page "
            "was shown, and left as it was; open it again to reject it.",
        ),
    ]


def test_in_the_rejected_queue_a_bulk_reject_leaves_a_comment_restored_since(
    moderator_client, moderator, colleague
):
    [comment] = _held()
    RejectComment(comment=comment, user=moderator, reason_code="abuse").execute()
    form = _bulk_form(_page(moderator_client, "rejected"), "reject")
    ApproveComment(comment=comment, user=colleague).execute()

    said = _bulk(moderator_client, form)

    assert (_status(comment), _entries(comment, "reject")) == (Comment.Status.PUBLISHED, 1)
    assert said == [
        (
            "warning",
            "Nothing was rejected: the selected comment was approved by another moderator since "
            "this page was shown. Open it again to reject it.",
        )
    ]


# The action itself, whatever calls it


def test_the_action_refuses_an_approval_shown_before_a_rejection(moderator, colleague):
    [comment] = _held()
    review = CommentReview.objects.get(comment=comment)
    shown = ModerationAction.objects.filter(comment=comment).values_list("id", flat=True).first()
    seen = card_token(body=comment.body, decided=shown)
    RejectComment(comment=comment, user=colleague, reason_code="abuse").execute()

    with pytest.raises(DecidedSince):
        ApproveComment(comment=comment, user=moderator, seen=seen).execute()

    assert CommentReview.objects.get(pk=review.pk).state == CommentReview.State.REJECTED
