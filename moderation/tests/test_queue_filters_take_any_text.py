"""The queue's filters and a moderator's notes take whatever is typed or pasted into them: a NUL
character, which PostgreSQL refuses in any text it is sent, is taken out rather than sent to
the database (a 500 there, and on SQLite a note stored with it)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from discussion.services import comment_create
from discussion.tests.factories import make_thread
from moderation.actions import RejectComment
from moderation.models import Appeal, CommentReview, ModerationAction

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("boss", "b@example.com", "pw"))
    return client


@pytest.mark.parametrize("field", ["q", "reason", "author"])
def test_a_nul_in_a_filter_is_taken_out_not_sent_to_the_database(moderator_client, field):
    comment_create(thread=make_thread(), body="Neutrality is the price.", author_name="Olena")

    response = moderator_client.get(
        "/admin/moderation/queue/unmoderated/", {field: "Neutr\x00ality"}
    )

    assert response.status_code == 200
    assert "\x00" not in response.content.decode()


def test_a_search_with_a_nul_finds_what_it_would_without_one(moderator_client):
    comment_create(thread=make_thread(), body="Neutrality is the price.", author_name="Olena")

    response = moderator_client.get("/admin/moderation/queue/unmoderated/", {"q": "Neutr\x00ality"})

    cards = BeautifulSoup(response.content, "html.parser").select("[data-mod-card]")
    assert len(cards) == 1


def test_a_nul_in_a_moderators_note_is_taken_out_and_the_reject_is_done(moderator_client):
    comment = comment_create(thread=make_thread(), body="Buy my pills.", author_name="Olena")
    review = CommentReview.objects.get(comment=comment)

    response = moderator_client.post(
        f"/admin/moderation/reviews/{review.pk}/act/",
        {"action": "reject", "reason_code": "spam", "note": "Ad\x00vert."},
    )

    assert response.status_code == 302
    assert ModerationAction.objects.get(kind="reject").note == "Advert."


def test_a_nul_in_a_note_turning_down_an_appeal_is_taken_out(moderator_client, django_user_model):
    comment = comment_create(thread=make_thread(), body="Buy my pills.", author_name="Olena")
    moderator = django_user_model.objects.get(username="boss")
    entry = RejectComment(comment=comment, user=moderator, reason_code="spam").execute()
    appeal = Appeal.objects.create(action=entry, comment=comment, text="It was not an advert.")

    response = moderator_client.post(
        f"/admin/moderation/appeals/{appeal.pk}/decide/",
        {"decision": "deny", "note": "It links to a pill\x00 shop."},
    )

    assert response.status_code == 302
    assert Appeal.objects.get(pk=appeal.pk).status == "denied"
