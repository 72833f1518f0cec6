"""A report or an appeal with a bidi override or isolate is refused with its text kept: one left
open reorders what the moderator reads after it (other readers' reasons included)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from moderation.actions import RejectComment
from moderation.models import Appeal, Report
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

UNTERMINATED = "report 1 \u202eunterminated"


def _kept(page: BeautifulSoup) -> str:
    # A browser drops the one newline that follows <textarea>.
    return page.select_one("textarea[name=text]").text.removeprefix("\n")


def test_a_report_with_a_direction_override_is_refused_with_its_text_kept(client):
    comment = make_comment(thread_ensure(page=make_article()), "A comment some readers dislike.")

    response = client.post(
        f"/moderation/comments/{comment.pk}/report/", {"reason": "other", "text": UNTERMINATED}
    )

    page = BeautifulSoup(response.content, "html.parser")
    assert "invisible text-direction control (U+202E)" in page.get_text()
    assert _kept(page) == UNTERMINATED
    assert not Report.objects.exists()


def test_an_appeal_with_a_direction_isolate_is_refused_with_its_text_kept(
    client, django_user_model
):
    article = make_article()
    client.post(article.url, {"body": "The minister is a moron.", "author_name": "Olena",
                              "idempotency_key": ""})  # fmt: skip
    [comment] = article.discussion_thread.comments.all()
    moderator = django_user_model.objects.create_superuser("boss", "b@example.com", "pw-long-1")
    RejectComment(comment=comment, user=moderator, reason_code="abuse").execute()
    text = "It is about \u2067policy\u2069, not a person."

    response = client.post(f"/moderation/comments/{comment.pk}/why/", {"text": text})

    page = BeautifulSoup(response.content, "html.parser")
    assert "invisible text-direction control (U+2067)" in page.get_text()
    assert _kept(page) == text
    assert not Appeal.objects.exists()
