"""An edit that a word or link check holds takes the comment down for review on the record: it
reaches the moderators' Pending queue with its reason, and its author can read why."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from discussion.models import Comment
from moderation.models import Rule
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited(client):
    """A guest's published comment, edited to add a word a moderator checks first."""
    Rule.objects.create(kind=Rule.Kind.SUSPECT, pattern="crook")
    article = make_article()
    client.post(
        article.url, {"body": "A fair point.", "author_name": "Olena", "idempotency_key": ""}
    )
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PUBLISHED
    client.post(f"/discussion/comments/{comment.pk}/edit/", {"body": "The minister is a crook."})
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    return comment


def test_the_held_edit_reaches_the_pending_queue_with_its_reason(edited, django_user_model):
    moderator = Client()
    moderator.force_login(django_user_model.objects.create_superuser("boss", "b@x.example", "pw-1"))

    response = moderator.get("/admin/moderation/queue/pending/")

    cards = BeautifulSoup(response.content, "html.parser").select("[data-mod-card]")
    assert len(cards) == 1
    card = " ".join(cards[0].get_text(" ", strip=True).split())
    assert "The minister is a crook." in card
    assert "It uses “crook”, which a moderator checks first." in card


def test_its_author_reads_why_the_edited_comment_is_waiting(client, edited):
    response = client.get(f"/moderation/comments/{edited.pk}/why/")

    statement = BeautifulSoup(response.content, "html.parser").select_one("ol.statement")
    assert "It uses “crook”, which a moderator checks first." in statement.get_text()


def test_its_author_is_told_the_saved_edit_is_waiting_for_review(client, edited):
    response = client.get(f"{edited.thread.page.url}?c={edited.pk}")

    shown = BeautifulSoup(response.content, "html.parser").select_one(
        ".messages[data-announce=page-status]"
    )
    assert shown is not None
    assert shown.get_text(strip=True) == "Your comment was saved and is waiting for review."
