"""The statement of reasons offers an appeal only while the decision may still be appealed
(``MODERATION_APPEAL_DAYS`` after it), and says when that time ends or ended.

Before, the form stayed on the page for good: an author who came back after the time had passed
wrote their appeal, sent it, and only then read "The time to appeal this decision has passed."
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from discussion.models import Comment
from moderation.actions import RejectComment
from moderation.models import Appeal, ModerationAction
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def rejected(client, moderator, settings):
    settings.MODERATION_APPEAL_DAYS = 30
    client.post(
        make_article().url,
        {"body": "A plain remark.", "author_name": "Olena", "idempotency_key": "", "parent": ""},
    )
    comment = Comment.objects.get()
    RejectComment(comment=comment, user=moderator, reason_code="spam").execute()
    return comment


def _decided_days_ago(comment: Comment, days: int) -> None:
    ModerationAction.objects.filter(comment=comment, kind="reject").update(
        created_at=timezone.now() - timedelta(days=days)
    )


def _page(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def test_within_the_time_the_appeal_form_says_until_when(client, rejected):
    _decided_days_ago(rejected, 10)
    ends = timezone.localtime(
        ModerationAction.objects.get(kind="reject").created_at + timedelta(days=30)
    )

    page = _page(client.get(f"/moderation/comments/{rejected.pk}/why/"))

    assert page.select_one("form.appeal-form") is not None
    assert f"You can appeal until {ends:%-d %B %Y}." in page.get_text(" ", strip=True)


def test_once_the_time_has_passed_no_appeal_is_offered_and_the_page_says_so(client, rejected):
    _decided_days_ago(rejected, 31)
    ends = timezone.localtime(
        ModerationAction.objects.get(kind="reject").created_at + timedelta(days=30)
    )

    page = _page(client.get(f"/moderation/comments/{rejected.pk}/why/"))

    assert page.select_one("form.appeal-form") is None
    text = page.get_text(" ", strip=True)
    assert f"The time to appeal this decision ended on {ends:%-d %B %Y}." in text


def test_an_appeal_sent_from_a_page_loaded_in_time_keeps_its_text_when_refused(client, rejected):
    _decided_days_ago(rejected, 31)

    response = client.post(
        f"/moderation/comments/{rejected.pk}/why/", {"text": "It was not spam at all."}
    )

    assert response.status_code == 400
    page = _page(response)
    assert "The time to appeal this decision has passed." in page.get_text(" ", strip=True)
    assert page.select_one("textarea").get_text(strip=True) == "It was not spam at all."
    assert not Appeal.objects.exists()
