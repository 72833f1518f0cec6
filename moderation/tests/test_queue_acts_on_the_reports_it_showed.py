"""A moderator's "Keep (dismiss reports)" or approve dismisses only the reports their queue page
showed: when a reader reports the comment after the page was shown, the card's button, or the
bulk form's, dismisses nothing for that comment and says so. Rejecting it is not refused for a
new report. And a card's reject refused because the comment was decided since the page was shown
comes back with the reason and note the moderator had chosen and typed."""

from __future__ import annotations

import itertools

import pytest
from bs4 import BeautifulSoup

from discussion.models import Comment
from discussion.tests.factories import make_comment, make_thread
from moderation.actions import text_token
from moderation.models import CommentReview, ModerationAction
from moderation.services import report_create

pytestmark = pytest.mark.django_db
_readers = itertools.count(1)


@pytest.fixture(autouse=True)
def _reports_never_take_a_comment_down(settings):
    """A report here only puts a comment in the Reported queue (and in a new report's case, a
    report the moderator has not read), unless a test says otherwise."""
    settings.MODERATION_REPORTS_TO_HOLD = 50


def _published(n: int = 1) -> list[Comment]:
    """``n`` comments by Olena, published with no moderator's look (the Unmoderated queue)."""
    thread = make_thread()
    comments = [make_comment(thread, f"The council wasted the money ({i}).", name="Olena")
                for i in range(n)]  # fmt: skip
    assert {c.status for c in comments} == {Comment.Status.PUBLISHED}
    return comments


def _report(comment: Comment, reason: str) -> None:
    reader = next(_readers)
    report_create(comment=comment, reporter_key=f"guest:r{reader}",
                  network=f"2001:db8:0:{reader:x}::/64", reason=reason)  # fmt: skip


def _page(moderator_client, queue: str) -> BeautifulSoup:
    response = moderator_client.get(f"/admin/moderation/queue/{queue}/")
    return BeautifulSoup(response.content, "html.parser")


def _card_form(page: BeautifulSoup, comment: Comment, action: str, **typed: str) -> dict:
    """What the card's own form for ``action`` sends, as the page was shown, with ``typed``."""
    card = page.find(id=f"review-{comment.review.pk}")
    form = card.select_one(f"button[value={action}]").find_parent("form")
    data = {field["name"]: field.get("value", "") for field in form.select("input[name]")}
    return {**data, **typed, "action": action}


def _press(moderator_client, comment: Comment, form: dict):
    return moderator_client.post(
        f"/admin/moderation/reviews/{comment.review.pk}/act/", form, follow=True
    )


def _said(response) -> list[tuple[str, str]]:
    return [(m.level_tag, m.message) for m in response.context["messages"]]


def _bulk_form(page: BeautifulSoup, action: str) -> dict:
    """The bulk form as the page has it, with every card ticked."""
    form = page.select_one("#bulk-form")
    data: dict = {field["name"]: field["value"] for field in form.select('input[type="hidden"]')}
    data |= {field["name"]: field["value"] for field in page.select('input[form="bulk-form"]')
             if field["type"] == "hidden"}  # fmt: skip
    data["review"] = [box["value"] for box in page.select('input[name="review"]')]
    return {**data, "action": action, "reason_code": "spam"}


def _unanswered(comment: Comment) -> bool:
    """Whether the comment has a report no moderator has answered (it is in the Reported queue)."""
    return CommentReview.objects.get(comment=comment).last_report_id is not None


def _entries(comment: Comment, kind: str) -> int:
    return ModerationAction.objects.filter(comment=comment, kind=kind).count()


# The card's own buttons


def test_keeping_a_comment_reported_again_since_the_page_was_shown_is_refused(moderator_client):
    [comment] = _published()
    _report(comment, "spam")
    form = _card_form(_page(moderator_client, "reported"), comment, "approve")
    _report(comment, "abuse")

    said = _said(_press(moderator_client, comment, form))

    assert (_unanswered(comment), _entries(comment, "approve")) == (True, 0)
    assert said == [
        (
            "error",
            "Olena's comment was reported again since this page was shown (abuse or "
            "harassment); nothing was changed. Open it again to see the new report.",
        )
    ]


def test_approving_from_the_unmoderated_queue_a_comment_reported_since_is_refused(
    moderator_client,
):
    [comment] = _published()
    form = _card_form(_page(moderator_client, "unmoderated"), comment, "approve")
    _report(comment, "personal_information")

    said = _said(_press(moderator_client, comment, form))

    assert (_unanswered(comment), _entries(comment, "approve")) == (True, 0)
    assert said == [
        (
            "error",
            "Olena's comment was reported since this page was shown (personal information); "
            "nothing was changed. Open it again to see the new report.",
        )
    ]


def test_featuring_a_comment_reported_since_the_page_was_shown_is_refused(moderator_client):
    """Featuring answers a comment's reports as approving does: one the card did not show is not
    dismissed, and the comment is not put in the featured strip over it."""
    [comment] = _published()
    form = _card_form(_page(moderator_client, "unmoderated"), comment, "feature")
    _report(comment, "spam")

    said = _said(_press(moderator_client, comment, form))

    assert (_unanswered(comment), Comment.objects.get(pk=comment.pk).is_featured) == (True, False)
    assert said == [
        (
            "error",
            "Olena's comment was reported since this page was shown (spam); nothing was "
            "changed. Open it again to see the new report.",
        )
    ]


def test_a_card_from_a_page_that_did_not_carry_the_report_still_keeps_the_comment(
    moderator_client,
):
    """A form whose ``seen`` has the text and the decision but no report (a page from before
    cards carried it) is not checked for a report since, as before."""
    [comment] = _published()
    _report(comment, "spam")
    form = _card_form(_page(moderator_client, "reported"), comment, "approve")
    _report(comment, "abuse")
    text, decided, _report_part = form["seen"].split(".")
    assert text == text_token(comment.body)

    said = _said(_press(moderator_client, comment, {**form, "seen": f"{text}.{decided}"}))

    assert _unanswered(comment) is False
    assert said == [("success", "Reports dismissed; the comment by Olena stays up.")]


def test_rejecting_a_comment_reported_again_since_the_page_was_shown_rejects_it(
    moderator_client,
):
    [comment] = _published()
    _report(comment, "spam")
    form = _card_form(_page(moderator_client, "reported"), comment, "reject", reason_code="abuse")
    _report(comment, "abuse")

    said = _said(_press(moderator_client, comment, form))

    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.REJECTED
    assert said == [("success", "Rejected the comment by Olena.")]


# The bulk form


def test_a_bulk_keep_keeps_the_others_and_counts_one_reported_again_since(moderator_client):
    reported_again, kept = _published(2)
    for comment in (reported_again, kept):
        _report(comment, "spam")
    form = _bulk_form(_page(moderator_client, "reported"), "approve")
    _report(reported_again, "abuse")

    said = _said(moderator_client.post("/admin/moderation/bulk/", form, follow=True))

    assert (_unanswered(reported_again), _unanswered(kept)) == (True, False)
    assert said == [
        ("success", "Reports dismissed on 1 comment, which stays up."),
        (
            "warning",
            "Skipped 1 comment (by Olena): it was reported again since this page was shown, and "
            "left as it was; open it again to approve it.",
        ),
    ]


def test_a_bulk_keep_of_only_a_comment_reported_again_says_nothing_was_done(moderator_client):
    [comment] = _published()
    _report(comment, "spam")
    form = _bulk_form(_page(moderator_client, "reported"), "approve")
    _report(comment, "abuse")

    said = _said(moderator_client.post("/admin/moderation/bulk/", form, follow=True))

    assert _unanswered(comment) is True
    assert said == [
        (
            "warning",
            "Nothing was done: the selected comment was reported again since this page was "
            "shown. Open it again to approve it.",
        )
    ]


# A refused reject keeps what the moderator chose and typed


def test_a_reject_refused_as_decided_since_comes_back_with_the_reason_and_note(
    moderator_client, settings
):
    """Reader reports took the comment down after the page was shown: the reject is refused
    (a decision since), and the card, still in the Reported queue, has the reason and the note
    as the moderator left them, to send again."""
    settings.MODERATION_REPORTS_TO_HOLD = 2
    [comment] = _published()
    _report(comment, "spam")
    form = _card_form(
        _page(moderator_client, "reported"),
        comment,
        "reject",
        reason_code="abuse",
        note="Calling a named person a moron is not allowed here.",
    )
    _report(comment, "abuse")
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PENDING

    response = _press(moderator_client, comment, form)

    assert _entries(comment, "reject") == 0
    card = BeautifulSoup(response.content, "html.parser").find(id=f"review-{comment.review.pk}")
    reject = card.select_one("form.mod-reject")
    assert (
        reject.select_one("select[name=reason_code] option[selected]")["value"],
        reject.select_one("input[name=note]")["value"],
    ) == ("abuse", "Calling a named person a moron is not allowed here.")
