"""A moderator's "Reject their last 7 days" asks first, as a permanent ban and a campaign's
"remove all" do: the box beside the button says how many comments it will reject, and without it
ticked nothing is rejected and the card comes back with the reason and note as sent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from discussion.models import Comment
from discussion.services import comment_create
from discussion.tests.factories import make_thread
from moderation.actions import ApproveComment, RejectComment
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


@pytest.fixture
def moderator_client(client, django_user_model):
    boss = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-long-enough")
    client.force_login(boss)
    return client


def _review(comment: Comment) -> CommentReview:
    return CommentReview.objects.get(comment=comment)


def _reject_recent(moderator_client, comment: Comment, **form):
    return moderator_client.post(
        f"/admin/moderation/reviews/{_review(comment).pk}/act/",
        {"action": "reject_recent", "next": QUEUE, **form},
        follow=True,
    )


def _said(response) -> str:
    return " ".join(m.message for m in response.context["messages"])


def _card(response, comment: Comment):
    page = BeautifulSoup(response.content, "html.parser")
    return page.select_one(f"#review-{_review(comment).pk}")


def _rejected() -> int:
    return Comment.objects.filter(status=Comment.Status.REJECTED).count()


def test_the_box_beside_the_button_says_how_many_comments_it_will_reject(moderator_client, taras):
    card = _card(moderator_client.get(QUEUE), taras[0])

    box = card.select_one('input[name="confirm_recent"]')
    label = " ".join(box.find_parent("label").get_text().split())
    assert label == "Yes, reject their 3 comments from the last 7 days"
    assert box.find_next("button")["value"] == "reject_recent"


def test_the_box_says_how_many_of_them_a_moderator_approved(
    moderator_client, taras, django_user_model
):
    colleague = django_user_model.objects.create_superuser("ola", "ola@example.com", "pw-long")
    ApproveComment(comment=taras[1], user=colleague).execute()

    card = _card(moderator_client.get(QUEUE), taras[0])

    box = card.select_one('input[name="confirm_recent"]')
    label = " ".join(box.find_parent("label").get_text().split())
    assert label == (
        "Yes, reject their 3 comments from the last 7 days, 1 of them approved by a moderator"
    )


def test_the_authors_history_offers_the_same_box(moderator_client, taras):
    key = _review(taras[0]).reader_key

    card = _card(moderator_client.get(QUEUE, {"author": key}), taras[0])

    assert card.select_one('input[name="confirm_recent"]') is not None


def test_reject_their_last_7_days_without_the_tick_rejects_nothing(moderator_client, taras):
    _reject_recent(moderator_client, taras[0], reason_code="spam", note="Adverts.")

    assert _rejected() == 0


def test_without_the_tick_the_moderator_is_told_how_many_it_would_have_rejected(
    moderator_client, taras
):
    said = _said(_reject_recent(moderator_client, taras[0], reason_code="spam"))

    assert said == (
        "Nothing was rejected. To reject Taras's 3 comments from the last 7 days, tick “Yes, "
        "reject their 3 comments from the last 7 days” beside the button. Your reason and note "
        "are kept."
    )


def test_without_the_tick_the_card_comes_back_with_the_reason_and_note_kept_and_the_box_marked(
    moderator_client, taras
):
    response = _reject_recent(moderator_client, taras[0], reason_code="spam", note="Adverts.")

    card = _card(response, taras[0])
    actions = card.select_one("details:has(> form)")
    assert actions.has_attr("open")
    assert actions.select_one('select[name="reason_code"] option[selected]')["value"] == "spam"
    assert actions.select_one('input[name="note"]')["value"] == "Adverts."
    box = actions.select_one('input[name="confirm_recent"]')
    assert box["aria-invalid"] == "true"
    error = card.select_one(f"#{box['aria-describedby']}").get_text()
    assert error == "Tick “Yes, reject their 3 comments from the last 7 days” to reject them."
    assert response.redirect_chain[-1][0].endswith(f"#review-{_review(taras[0]).pk}-confirm-recent")


def test_with_the_tick_it_rejects_their_comments_of_the_last_7_days(moderator_client, taras):
    response = _reject_recent(
        moderator_client, taras[0], reason_code="spam", confirm_recent="yes", recent_count="3"
    )

    assert _said(response) == "Rejected 3 comments by Taras from the last 7 days."
    assert _rejected() == 3


def test_the_box_leaves_out_comments_older_than_7_days_and_those_rejected_already(
    moderator_client, django_user_model, taras
):
    CommentReview.objects.filter(comment=taras[2]).update(
        created_at=timezone.now() - timedelta(days=8)
    )
    boss = django_user_model.objects.get(username="boss")
    RejectComment(comment=taras[1], user=boss, reason_code="spam").execute()

    card = _card(moderator_client.get(QUEUE), taras[0])

    label = card.select_one('input[name="confirm_recent"]').find_parent("label")
    assert " ".join(label.get_text().split()) == "Yes, reject their 1 comment from the last 7 days"


def test_a_reader_with_nothing_left_to_reject_is_not_offered_it(moderator_client, taras):
    _reject_recent(
        moderator_client, taras[0], reason_code="spam", confirm_recent="yes", recent_count="3"
    )

    card = _card(moderator_client.get("/admin/moderation/queue/rejected/"), taras[0])

    assert card.select_one('input[name="confirm_recent"]') is None
    assert not card.select('button[value="reject_recent"]')
