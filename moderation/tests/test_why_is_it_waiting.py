"""The "Why is it waiting?" page as the author of a held first comment reads it: the reason once,
in plain words; what happens next and how long it takes; what they can do while it waits."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup

from discussion.models import Comment
from moderation.actions import ApproveComment, RejectComment
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(client, settings):
    """A new guest's first comment, held because a moderator reads new commenters' first two."""
    settings.MODERATION_TRUST_FIRST_COMMENTS = 2
    article = make_article()
    client.post(
        article.url,
        {"body": "First time here: a fair report.", "author_name": "Olena", "idempotency_key": ""},
    )
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    return comment


def _why(client, comment) -> BeautifulSoup:
    response = client.get(f"/moderation/comments/{comment.pk}/why/")
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser").select_one("main")
    page.select_one("blockquote").decompose()  # the reader's own words, not the page's
    return page


def _sentences(page: BeautifulSoup) -> list[str]:
    """Every sentence of the page's headings, paragraphs and list items, in order."""
    sentences = []
    for block in page.find_all(["h1", "h2", "p", "li"]):
        if block.find("p") is None:
            text = " ".join(block.get_text(" ", strip=True).split())
            sentences += [s for s in re.split(r"(?<=[.!?])\s+", text) if s]
    return sentences


def test_the_reason_a_first_comment_waits_is_said_once_in_plain_words(client, held):
    sentences = _sentences(_why(client, held))

    reason = "New commenters' first comments are read by a moderator before they appear."
    assert sentences.count(reason) == 1
    assert [s for s in sentences if "new commenter" in s.lower()] == [reason]
    assert len(sentences) == len(set(sentences)), sentences
    assert "new_commenter" not in " ".join(sentences)


def test_the_author_is_told_what_happens_next_and_that_there_is_no_set_time(client, held):
    text = " ".join(_sentences(_why(client, held)))

    assert "A moderator will read it. If they approve it, it appears under the article" in text
    assert "If they reject it, it stays hidden, and this page will say why" in text
    assert "There is no set time for this" in text


def test_while_it_waits_its_author_can_edit_or_delete_it(client, held):
    links = {a.get_text(strip=True): a["href"] for a in _why(client, held).find_all("a")}

    assert links["Edit your comment"] == f"/discussion/comments/{held.pk}/edit/"
    assert links["Delete your comment"] == f"/discussion/comments/{held.pk}/delete/"


def test_once_the_edit_window_has_passed_a_guest_is_told_so_and_offered_no_edit(client, held):
    Comment.objects.filter(pk=held.pk).update(created_at=held.created_at - timedelta(days=1))

    page = _why(client, held)

    assert "The time for editing it has passed." in _sentences(page)
    assert page.find("a", string="Edit your comment") is None


def test_a_held_comment_offers_no_appeal_until_a_moderator_rejects_it(client, held, moderator):
    assert _why(client, held).select_one("form.appeal-form") is None

    RejectComment(comment=held, user=moderator, reason_code="spam").execute()

    assert _why(client, held).select_one("form.appeal-form") is not None


def test_an_approval_is_not_explained_as_a_breach_of_the_rules(client, held, moderator):
    ApproveComment(comment=held, user=moderator).execute()

    text = " ".join(_sentences(_why(client, held)))

    assert "Approved by a moderator" in text
    assert "breaks the community rules" not in text
