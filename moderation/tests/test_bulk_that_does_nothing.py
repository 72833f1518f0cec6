"""A bulk action in which no ticked comment could be approved (or rejected) says, as a warning,
that nothing was, and why where it is known (another moderator, or another tab, decided them
first; their authors deleted them), never "Approved 0 comments." as a success."""

from __future__ import annotations

import itertools

import pytest
from bs4 import BeautifulSoup

from discussion.models import Comment
from discussion.own_comments import comment_delete, comment_edit
from discussion.tests.factories import make_comment, make_thread
from moderation.actions import ApproveComment, RejectComment
from moderation.services import report_create

pytestmark = pytest.mark.django_db
PENDING = "/admin/moderation/queue/pending/"
REPORTED = "/admin/moderation/queue/reported/"
_networks = itertools.count(1)


@pytest.fixture
def colleague(django_user_model):
    return django_user_model.objects.create_superuser("ola", "ola@example.com", "pw-long-enough")


@pytest.fixture
def olena(django_user_model):
    return django_user_model.objects.create_user("olena", "olena@example.com", "pw-long-enough")


def _held(olena, n: int) -> list[Comment]:
    """``n`` comments by Olena, a member, held for a moderator."""
    thread = make_thread()
    held = [make_comment(thread, f"The minister is a moron ({i}).", name="Olena",
                         user_id=olena.pk) for i in range(n)]  # fmt: skip
    assert {c.status for c in held} == {Comment.Status.PENDING}
    return held


def _reported(n: int) -> list[Comment]:
    """``n`` published comments, each with a report no moderator has answered."""
    thread = make_thread()
    comments = [make_comment(thread, f"The council wasted the money ({i}).", name="Olena")
                for i in range(n)]  # fmt: skip
    for comment in comments:
        network = f"2001:db8:0:{next(_networks):x}::/64"
        report_create(comment=comment, reporter_key=f"guest:r{comment.pk}", network=network,
                      reason="abuse")  # fmt: skip
    return comments


def _everything_ticked(moderator_client, queue: str, action: str) -> dict:
    """The queue's bulk form as the moderator's page has it, with every card ticked."""
    page = BeautifulSoup(moderator_client.get(queue).content, "html.parser")
    form = page.select_one("#bulk-form")
    data: dict = {field["name"]: field["value"] for field in form.select('input[type="hidden"]')}
    data |= {field["name"]: field["value"] for field in page.select('input[form="bulk-form"]')
             if field["type"] == "hidden"}  # fmt: skip
    data["review"] = [box["value"] for box in page.select('input[name="review"]')]
    data["action"] = action
    data["reason_code"] = "spam"
    return data


def _said(moderator_client, form: dict) -> list[tuple[str, str]]:
    response = moderator_client.post("/admin/moderation/bulk/", form, follow=True)
    return [(m.level_tag, m.message) for m in response.context["messages"]]


def test_approving_comments_another_moderator_approved_first_warns_nothing_was_approved(
    moderator_client, colleague, olena
):
    held = _held(olena, 2)
    form = _everything_ticked(moderator_client, PENDING, "approve")
    for comment in held:
        ApproveComment(comment=comment, user=colleague).execute()

    assert _said(moderator_client, form) == [
        (
            "warning",
            "Nothing was approved: the 2 selected comments were approved already, by another "
            "moderator or in another tab.",
        )
    ]


def test_in_the_reported_queue_it_says_the_reports_were_dismissed_already(
    moderator_client, colleague
):
    reported = _reported(3)
    form = _everything_ticked(moderator_client, REPORTED, "approve")
    for comment in reported:
        ApproveComment(comment=comment, user=colleague).execute()

    assert _said(moderator_client, form) == [
        (
            "warning",
            "Nothing was done: the reports on the 3 selected comments were dismissed already, by "
            "another moderator or in another tab.",
        )
    ]


def test_approving_a_comment_its_author_deleted_meanwhile_says_so(moderator_client, olena):
    [held] = _held(olena, 1)
    form = _everything_ticked(moderator_client, PENDING, "approve")
    comment_delete(comment=Comment.objects.get(pk=held.pk), user_id=olena.pk)

    assert _said(moderator_client, form) == [
        ("warning", "Nothing was approved: the selected comment was deleted by its author.")
    ]


def test_each_reason_nothing_was_approved_is_counted(moderator_client, colleague, olena):
    approved_first, deleted = _held(olena, 2)
    form = _everything_ticked(moderator_client, PENDING, "approve")
    ApproveComment(comment=approved_first, user=colleague).execute()
    comment_delete(comment=Comment.objects.get(pk=deleted.pk), user_id=olena.pk)

    assert _said(moderator_client, form) == [
        (
            "warning",
            "Nothing was approved: 1 of the 2 selected comments was approved already, by another "
            "moderator or in another tab; 1 was deleted by its author.",
        )
    ]


def test_rejecting_comments_another_moderator_rejected_first_warns_nothing_was_rejected(
    moderator_client, colleague, olena
):
    [held] = _held(olena, 1)
    form = _everything_ticked(moderator_client, PENDING, "reject")
    RejectComment(comment=held, user=colleague, reason_code="spam").execute()

    assert _said(moderator_client, form) == [
        ("warning", "Nothing was rejected."),
        (
            "error",
            "The comment by Olena: This comment is rejected already, so nothing was done: its "
            "author was told once.",
        ),
    ]


def test_approving_only_comments_edited_since_warns_nothing_was_approved_and_whose(
    moderator_client, olena
):
    [held] = _held(olena, 1)
    form = _everything_ticked(moderator_client, PENDING, "approve")
    comment_edit(comment=Comment.objects.get(pk=held.pk), body="The minister is wrong.",
                 user_id=olena.pk)  # fmt: skip

    assert _said(moderator_client, form) == [
        ("warning", "Nothing was approved."),
        (
            "warning",
            "Skipped 1 comment (by Olena): it was edited after you opened the queue; read the new "
            "text and decide again.",
        ),
    ]


def test_in_the_approved_queue_it_says_they_were_approved_with_no_reports_to_dismiss(
    moderator_client, moderator, olena
):
    [held] = _held(olena, 1)
    ApproveComment(comment=held, user=moderator).execute()
    form = _everything_ticked(moderator_client, "/admin/moderation/queue/approved/", "approve")

    assert _said(moderator_client, form) == [
        (
            "warning",
            "Nothing was approved: the selected comment was approved already, with no reports to "
            "dismiss.",
        )
    ]


# A bulk approval that did approve some says, with the count, how many of the selected comments
# it passed over and why: before, "Approved 1 comment." came with an error per comment approved
# meanwhile ("The comment by Olena: This comment is approved already, so nothing was done."),
# and not a word of one its author deleted with no reply to keep it.


def test_approving_some_counts_those_approved_or_deleted_meanwhile(
    moderator_client, colleague, olena
):
    approved_first, deleted, gone, held = _held(olena, 4)
    make_comment(deleted.thread, "A reply keeps its shell.", name="Rui", parent=deleted)
    form = _everything_ticked(moderator_client, PENDING, "approve")
    ApproveComment(comment=approved_first, user=colleague).execute()
    for comment in (deleted, gone):
        comment_delete(comment=Comment.objects.get(pk=comment.pk), user_id=olena.pk)

    assert _said(moderator_client, form) == [
        (
            "success",
            "Approved 1 comment. Passed over 3 of the 4 selected: 1 was approved already, by "
            "another moderator or in another tab; 2 were deleted by their authors.",
        )
    ]
    assert Comment.objects.get(pk=held.pk).status == Comment.Status.PUBLISHED


def test_in_the_reported_queue_it_counts_those_whose_reports_were_dismissed_meanwhile(
    moderator_client, colleague
):
    dismissed_first, *rest = _reported(3)
    form = _everything_ticked(moderator_client, REPORTED, "approve")
    ApproveComment(comment=dismissed_first, user=colleague).execute()

    assert _said(moderator_client, form) == [
        (
            "success",
            "Reports dismissed on 2 comments, which stay up. Passed over 1 of the 3 selected: the "
            "reports on 1 were dismissed already, by another moderator or in another tab.",
        )
    ]
