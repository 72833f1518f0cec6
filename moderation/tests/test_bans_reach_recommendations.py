"""A reader banned from commenting may not recommend comments either while the ban lasts, and is
told so in the ban's own words; a recommendation made before the ban may still be taken back, and
once the ban has ended they may recommend again (discussion.reaction_checks, registered by
moderation)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone

from discussion.models import Comment, Reaction
from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from moderation.models import CommentReview, ReaderStanding
from moderation.tests.bob import ban_bob, post_as_bob
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
TOLD = "While the ban lasts, you cannot recommend comments either."


@pytest.fixture
def article():
    return make_article()


@pytest.fixture
def others_comment(article) -> Comment:
    return make_comment(thread_ensure(page=article), "Alice on the ceasefire talks.", name="Alice")


def _react(client, comment, **extra):
    return client.post(f"/discussion/comments/{comment.pk}/react/", **extra)


def _text(response) -> str:
    return BeautifulSoup(response.content, "html.parser").get_text()


def _count(comment) -> int:
    return Comment.objects.get(pk=comment.pk).reaction_count


def test_a_banned_readers_refused_recommendation_links_to_the_bans_statement_and_appeal(
    client, admin_client, article, others_comment
):
    ban_bob(admin_client, client, article)

    for answer in (_react(client, others_comment), _react(client, others_comment, **HTMX)):
        alert = BeautifulSoup(answer.content, "html.parser").select_one("[role=alert]")
        link = alert.find("a")
        assert (link["href"], link.get_text()) == (
            "/moderation/ban/",
            "Why, and how to appeal the ban",
        )


def test_a_banned_guest_cannot_recommend_and_is_told_the_bans_reason(
    client, admin_client, article, others_comment
):
    ban_bob(admin_client, client, article)

    plain = _react(client, others_comment)
    swapped = _react(client, others_comment, **HTMX)

    assert plain.status_code == 409
    assert TOLD in _text(plain)
    assert "The moderators' reason: spam or advertising." in _text(plain)
    assert swapped.status_code == 422
    assert TOLD in _text(swapped)
    assert _count(others_comment) == Reaction.objects.filter(comment=others_comment).count() == 0


def test_a_banned_reader_may_take_back_a_recommendation_made_before_the_ban(
    client, admin_client, article, others_comment
):
    assert post_as_bob(client, article, "Bob's first comment on the talks.").status_code == 302
    assert _react(client, others_comment).status_code == 302
    assert _count(others_comment) == 1
    review = CommentReview.objects.get(comment__author_name="Bob")
    admin_client.post(
        f"/admin/moderation/reviews/{review.pk}/act/",
        {"next": "/", "action": "ban_day", "reason_code": "spam", "note": ""},
    )
    assert ReaderStanding.objects.filter(banned=True).exists()

    taken_back = _react(client, others_comment)

    assert taken_back.status_code == 302
    assert _count(others_comment) == Reaction.objects.filter(comment=others_comment).count() == 0


def test_once_the_ban_has_ended_the_reader_may_recommend_again(
    client, admin_client, article, others_comment
):
    ban_bob(admin_client, client, article)
    ReaderStanding.objects.filter(banned=True).update(
        banned_until=timezone.now() - timedelta(minutes=1)
    )

    assert _react(client, others_comment).status_code == 302
    assert _count(others_comment) == 1


def test_other_readers_still_recommend_while_one_is_banned(
    client, admin_client, article, others_comment
):
    ban_bob(admin_client, client, article)

    assert _react(Client(), others_comment).status_code == 302
    assert _count(others_comment) == 1


def test_a_banned_member_cannot_recommend(admin_client, article, others_comment, django_user_model):
    member = django_user_model.objects.create_user("carol", "carol@example.com", "pw")
    ReaderStanding.objects.create(reader_key=f"user:{member.pk}", banned=True)
    client = Client()
    client.force_login(member)

    refused = _react(client, others_comment)

    assert refused.status_code == 409
    assert TOLD in _text(refused)
    assert _count(others_comment) == 0
