"""The author of a comment keeps seeing it where they left it: a guest's held comment after the
edit window has closed, and a rejected comment as a notice that links to why. Only its author
sees either; the edit window still bounds what a guest may change."""

from __future__ import annotations

import time
from datetime import timedelta
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from discussion.models import Comment
from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from discussion.tests.readers import make_reader
from moderation.actions import HoldComment, RejectComment
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

HOUR = 60 * 60


@pytest.fixture
def article():
    article = make_article()
    make_comment(thread_ensure(page=article), "Somebody else's comment.", name="Cy")
    return article


def _posted_by_a_guest_an_hour_ago(client: Client, article) -> Comment:
    """A guest's comment, as if posted (and the guest's cookie written) an hour ago: the edit
    window (15 minutes) has closed."""
    form = {"body": "My comment.", "author_name": "Dee", "idempotency_key": ""}
    with mock.patch("django.core.signing.time.time", return_value=time.time() - HOUR):
        assert client.post(article.url, form).status_code == 302
    comment = Comment.objects.get(author_name="Dee")
    Comment.objects.filter(pk=comment.pk).update(created_at=comment.created_at - timedelta(hours=1))
    comment.refresh_from_db()
    return comment


def _comment(client: Client, article, comment: Comment):
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    return soup.select_one(f"#c-{comment.pk}")


def test_a_guest_still_sees_their_held_comment_after_the_edit_window_but_cannot_change_it(
    client, article
):
    comment = _posted_by_a_guest_an_hour_ago(client, article)
    HoldComment(comment=comment, automated=True).execute()

    shown = _comment(client, article, comment)
    assert shown is not None and "Awaiting review" in shown.get_text()
    why = shown.find("a", string="Why is it waiting?")
    assert why["href"] == reverse("moderation:statement", args=[comment.pk])
    assert shown.select(".comment__own a") == []  # no Edit, no Delete: the window has passed
    client.post(reverse("discussion:comment_delete", args=[comment.pk]))
    assert Comment.objects.filter(pk=comment.pk).exists()
    assert _comment(Client(), article, comment) is None


def test_a_guest_whose_comment_was_rejected_is_told_in_place_and_shown_why(client, article):
    comment = _posted_by_a_guest_an_hour_ago(client, article)
    RejectComment(comment=comment, automated=True, reason_code="abuse").execute()

    shown = _comment(client, article, comment)
    notice = shown.select_one(".comment__removed")
    assert notice.get_text(" ", strip=True) == "Your comment was removed by a moderator. Why?"
    why = notice.find("a", string="Why?")
    assert why["href"] == reverse("moderation:statement", args=[comment.pk])
    assert client.get(why["href"]).status_code == 200
    assert "My comment." not in shown.get_text()
    # Drawn for its author, then asked for by someone else: they see nothing of it.
    assert _comment(Client(), article, comment) is None


def test_a_signed_in_reader_whose_comment_was_rejected_is_told_and_others_see_nothing(
    client, article
):
    ada = make_reader("Ada")
    comment = make_comment(
        thread_ensure(page=article), "My rejected words.", name="Ada", user_id=ada.pk
    )
    RejectComment(comment=comment, automated=True, reason_code="abuse").execute()
    other = Client()
    other.force_login(make_reader("Bo"))
    client.force_login(ada)

    assert "My rejected words." not in str(_comment(other, article, comment))
    assert _comment(other, article, comment) is None
    shown = _comment(client, article, comment)
    assert "Your comment was removed by a moderator." in shown.get_text()
    assert shown.select(".comment__own") == []  # nothing to edit, delete or mute
