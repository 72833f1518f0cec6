"""A ban and a turned-down appeal tell the reader why: a ban needs a reason (and a permanent one
a second, deliberate step), the banned reader's refusal says the reason in plain words, and an
appeal is turned down only with a note for its author."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from discussion.models import Comment
from moderation.actions import RejectComment
from moderation.models import Appeal, CommentReview, ReaderStanding
from moderation.tests.bob import post_as_bob
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article()


@pytest.fixture
def review(client, article) -> CommentReview:
    """Bob's comment (a guest's), as a moderator's card knows it."""
    assert post_as_bob(client, article, "Bob's first comment on the talks.").status_code == 302
    return CommentReview.objects.get(comment__author_name="Bob")


def _act(admin_client, review, **form):
    url = f"/admin/moderation/reviews/{review.pk}/act/"
    page = admin_client.post(
        url, {"next": "/admin/moderation/queue/approved/", **form}, follow=True
    )
    return " ".join(m.message for m in page.context["messages"])


def _banned() -> bool:
    return ReaderStanding.objects.filter(banned=True).exists()


def test_a_ban_without_a_reason_is_refused_and_bans_nobody(admin_client, review):
    said = _act(admin_client, review, action="ban_day", reason_code="", note="")

    assert "Choose a reason for the ban: the reader is told it." in said
    assert not _banned()


def test_a_permanent_ban_needs_its_confirmation_ticked(admin_client, review):
    said = _act(admin_client, review, action="ban", reason_code="spam", note="")
    assert "A permanent ban has no end" in said and not _banned()

    _act(admin_client, review, action="ban", reason_code="spam", note="", permanent="yes")

    assert ReaderStanding.objects.get(banned=True).banned_until is None


def test_a_banned_reader_is_told_the_moderators_reason_in_plain_words(
    client, admin_client, article, review
):
    _act(admin_client, review, action="ban_day", reason_code="spam", note="Stop the adverts.")

    response = post_as_bob(client, article, "Bob again, with more to sell.")

    errors = BeautifulSoup(response.content, "html.parser").select_one("#comments").get_text()
    assert "The moderators' reason: spam or advertising. Their note: “Stop the adverts.”" in errors
    assert "You were told why" not in errors


def test_turning_down_an_appeal_without_a_note_is_refused(admin_client, django_user_model, review):
    moderator = django_user_model.objects.get(username="admin")
    entry = RejectComment(comment=review.comment, user=moderator, reason_code="abuse").execute()
    appeal = Appeal.objects.create(action=entry, comment=review.comment, text="It was fair.")

    page = admin_client.post(
        f"/admin/moderation/appeals/{appeal.pk}/decide/",
        {"decision": "deny", "note": ""},
        follow=True,
    )

    said = " ".join(m.message for m in page.context["messages"])
    assert "Write a note to turn down an appeal: its author is told it." in said
    assert Appeal.objects.get().status == Appeal.Status.OPEN
    assert Comment.objects.get().status == Comment.Status.REJECTED


def _author_actions(admin_client, review, **form) -> BeautifulSoup:
    """The card's author actions, in the queue the moderator comes back to after sending
    ``form`` (with no form, the queue opened again)."""
    queue = f"/admin/moderation/queue/{review.state}/"
    if form:
        url = f"/admin/moderation/reviews/{review.pk}/act/"
        page = admin_client.post(url, {"next": queue, **form}, follow=True)
    else:
        page = admin_client.get(queue)
    card = BeautifulSoup(page.content, "html.parser").select_one(f"#review-{review.pk}")
    return card.select_one("details:has(> form)")


def test_a_ban_refused_for_want_of_a_reason_keeps_the_moderators_note(admin_client, review):
    actions = _author_actions(
        admin_client, review, action="ban_day", reason_code="", note="The same advert again."
    )

    assert actions.has_attr("open")
    assert actions.select_one('input[name="note"]')["value"] == "The same advert again."
    assert not _banned()


def test_an_unconfirmed_permanent_ban_keeps_the_reason_and_note(admin_client, review):
    actions = _author_actions(
        admin_client, review, action="ban", reason_code="spam", note="Adverts, for weeks."
    )

    assert actions.has_attr("open")
    assert actions.select_one('select[name="reason_code"] option[selected]')["value"] == "spam"
    assert actions.select_one('input[name="note"]')["value"] == "Adverts, for weeks."
    assert not _banned()


def test_what_a_refused_author_action_kept_is_shown_once(admin_client, review):
    _author_actions(admin_client, review, action="ban_day", reason_code="", note="Adverts.")

    actions = _author_actions(admin_client, review)
    assert not actions.has_attr("open")
    assert not actions.select_one('input[name="note"]').has_attr("value")
