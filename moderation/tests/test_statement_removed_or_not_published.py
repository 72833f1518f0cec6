"""A rejected comment's statement says what happened to it as its author saw it: a comment
readers had was removed; one held for review and then rejected was never published."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from discussion.models import Comment
from moderation.actions import RejectComment
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def _statement_heading(client, django_user_model, body: str) -> tuple[str, str]:
    article = make_article()
    client.post(article.url, {"body": body, "author_name": "Olena", "idempotency_key": ""})
    comment = Comment.objects.get()
    status_before = comment.status
    moderator = django_user_model.objects.create_superuser("boss", "b@example.com", "pw-long-1")
    RejectComment(comment=comment, user=moderator, reason_code="abuse").execute()
    thread = BeautifulSoup(client.get(article.url).content, "html.parser")
    why = thread.select_one(".comment__removed a")["href"]
    page = BeautifulSoup(client.get(why).content, "html.parser")
    return status_before, page.select_one("main h1").get_text(strip=True)


def test_a_published_comment_taken_down_is_said_to_be_removed(client, django_user_model):
    status_before, heading = _statement_heading(
        client, django_user_model, "The talks in Istanbul changed nothing on the ground."
    )
    assert status_before == Comment.Status.PUBLISHED
    assert heading == "Why your comment was removed"


def test_a_held_comment_rejected_is_said_to_be_not_published(client, django_user_model):
    status_before, heading = _statement_heading(
        client, django_user_model, "The minister is a moron."
    )
    assert status_before == Comment.Status.PENDING
    assert heading == "Why your comment was not published"
