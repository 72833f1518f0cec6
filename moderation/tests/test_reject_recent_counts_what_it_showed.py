"""A moderator's "Reject their last 7 days" rejects the number its box said, or nothing: the form
carries the number the page showed, and when the reader's comments to reject are no longer that
many (they wrote more since, or some were removed), nothing is rejected and the card comes back at
the box, which says the new number, with the reason and note as sent."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from discussion.models import Comment
from discussion.services import comment_create
from discussion.tests.factories import make_thread
from moderation.actions import RecentCountChanged, RejectComment, RejectRecentComments
from moderation.models import CommentReview

pytestmark = pytest.mark.django_db
QUEUE = "/admin/moderation/queue/unmoderated/"


@pytest.fixture
def taras(django_user_model, settings) -> list[Comment]:
    """Three published comments Taras, a member, posted this week."""
    settings.MODERATION_RATE_PER_READER = "100/m"
    settings.MODERATION_TRUST_FIRST_COMMENTS = 0
    reader = django_user_model.objects.create_user("taras", "taras@example.com", "pw-long-enough")
    thread = make_thread()
    return [
        comment_create(
            thread=thread, body=f"Cheap pills, offer {n}.", author_name="Taras", user_id=reader.pk
        )
        for n in range(3)
    ]


def _writes_more(taras: list[Comment], n: int) -> None:
    """Taras posts ``n`` more comments after the moderator's page was shown."""
    first = taras[0]
    for i in range(n):
        comment_create(
            thread=first.thread, body=f"More pills, {i}.", author_name="Taras",
            user_id=first.author_id,
        )  # fmt: skip


def _review(comment: Comment) -> CommentReview:
    return CommentReview.objects.get(comment=comment)


def _reject_recent(moderator_client, comment: Comment, **form):
    return moderator_client.post(
        f"/admin/moderation/reviews/{_review(comment).pk}/act/",
        {"action": "reject_recent", "next": QUEUE, "confirm_recent": "yes", **form},
        follow=True,
    )


def _said(response) -> str:
    return " ".join(m.message for m in response.context["messages"])


def _card(response, comment: Comment):
    page = BeautifulSoup(response.content, "html.parser")
    return page.select_one(f"#review-{_review(comment).pk}")


def _rejected() -> int:
    return Comment.objects.filter(status=Comment.Status.REJECTED).count()


def test_the_form_carries_the_number_its_box_shows(moderator_client, taras):
    card = _card(moderator_client.get(QUEUE), taras[0])

    form = card.select_one('button[value="reject_recent"]').find_parent("form")
    assert form.select_one('input[type="hidden"][name="recent_count"]')["value"] == "3"


def test_with_the_number_it_showed_it_rejects_them(moderator_client, taras):
    response = _reject_recent(moderator_client, taras[0], reason_code="spam", recent_count="3")

    assert _said(response) == "Rejected 3 comments by Taras from the last 7 days."
    assert _rejected() == 3


def test_comments_written_after_the_page_was_shown_make_it_reject_nothing(moderator_client, taras):
    _writes_more(taras, 2)

    _reject_recent(moderator_client, taras[0], reason_code="spam", recent_count="3")

    assert _rejected() == 0


def test_the_moderator_is_told_how_many_more_they_wrote_and_to_check_the_box_again(
    moderator_client, taras
):
    _writes_more(taras, 2)

    response = _reject_recent(moderator_client, taras[0], reason_code="spam", recent_count="3")

    assert _said(response) == (
        "Taras has written 2 more comments since this page was shown: 5 comments now, not 3. "
        "Nothing was rejected; check the box again to reject all 5. Your reason and note are "
        "kept."
    )


def test_the_card_comes_back_at_the_box_which_says_the_new_number_with_reason_and_note_kept(
    moderator_client, taras
):
    _writes_more(taras, 2)

    response = _reject_recent(
        moderator_client, taras[0], reason_code="spam", note="Adverts.", recent_count="3"
    )

    card = _card(response, taras[0])
    actions = card.select_one("details:has(> form)")
    assert actions.has_attr("open")
    assert actions.select_one('select[name="reason_code"] option[selected]')["value"] == "spam"
    assert actions.select_one('input[name="note"]')["value"] == "Adverts."
    box = actions.select_one('input[name="confirm_recent"]')
    assert not box.has_attr("checked")
    assert box["aria-invalid"] == "true"
    label = " ".join(box.find_parent("label").get_text().split())
    assert label == "Yes, reject their 5 comments from the last 7 days"
    assert actions.select_one('input[name="recent_count"]')["value"] == "5"
    error = card.select_one(f"#{box['aria-describedby']}").get_text()
    assert error == (
        "5 comments now, not 3. Tick “Yes, reject their 5 comments from the last 7 days” to "
        "reject them."
    )
    assert response.redirect_chain[-1][0].endswith(f"#review-{_review(taras[0]).pk}-confirm-recent")


def test_fewer_left_than_the_page_showed_also_rejects_nothing_and_says_so(
    moderator_client, moderator, taras
):
    RejectComment(comment=taras[2], user=moderator, reason_code="spam").execute()

    response = _reject_recent(moderator_client, taras[0], reason_code="spam", recent_count="3")

    assert _rejected() == 1
    assert _said(response) == (
        "1 of Taras's comments this page counted is no longer there to reject (removed, deleted, "
        "or older than 7 days): 2 comments now, not 3. Nothing was rejected; check the box again "
        "to reject all 2. Your reason and note are kept."
    )


@pytest.mark.parametrize("sent", [None, "", "three", "3.0", "-3", "0", "9" * 30])
def test_a_form_that_does_not_say_a_number_rejects_nothing(moderator_client, taras, sent):
    form = (
        {"reason_code": "spam"} if sent is None else {"reason_code": "spam", "recent_count": sent}
    )

    response = _reject_recent(moderator_client, taras[0], **form)

    assert response.status_code == 200
    assert _rejected() == 0
    assert _said(response) == (
        "This form did not say how many comments its box showed (it may be from an older page), "
        "so nothing was rejected. Taras has 3 comments from the last 7 days to reject: check the "
        "box again to reject all 3. Your reason and note are kept."
    )


def test_the_action_itself_refuses_a_number_it_would_not_reject(moderator, taras):
    _writes_more(taras, 2)
    key = _review(taras[0]).reader_key

    with pytest.raises(RecentCountChanged) as refused:
        RejectRecentComments(reader_key=key, user=moderator, reason_code="spam", shown=3).execute()

    assert (refused.value.shown, refused.value.now) == (3, 5)
    assert _rejected() == 0
