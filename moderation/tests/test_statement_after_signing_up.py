"""A guest who comments and then signs up, or signs in, in the same browser: the thread still
shows them their comment as its author does (the browser's guest cookie lists it), with the link
to why it waits or was removed, and that link opens the statement and its appeal form."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from discussion.models import Comment
from discussion.tests.readers import make_reader
from moderation.actions import RejectComment
from moderation.models import Appeal
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def rejected_as_a_guest(client, django_user_model):
    article = make_article()
    client.post(
        article.url,
        {"body": "The minister is a moron.", "author_name": "Olena", "idempotency_key": ""},
    )
    comment = Comment.objects.get()
    moderator = django_user_model.objects.create_superuser("boss", "b@example.com", "pw-long-1")
    RejectComment(comment=comment, user=moderator, reason_code="abuse").execute()
    client.force_login(make_reader("Olena K"))  # signed up since, in the same browser
    return article, comment


def test_the_why_link_on_my_guest_comment_opens_its_statement_once_i_am_signed_in(
    client, rejected_as_a_guest
):
    article, comment = rejected_as_a_guest
    thread = BeautifulSoup(client.get(article.url).content, "html.parser")
    why = thread.select_one(".comment__removed a")["href"]

    response = client.get(why)

    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser").select_one("main")
    assert page.select_one("h1").get_text(strip=True) == "Why your comment was not published"
    assert page.select_one("form.appeal-form") is not None


def test_i_can_appeal_my_guest_comment_once_i_am_signed_in(client, rejected_as_a_guest):
    _article, comment = rejected_as_a_guest

    client.post(f"/moderation/comments/{comment.pk}/why/", {"text": "It is about his policy."})

    appeal = Appeal.objects.get()
    assert (appeal.comment_id, appeal.text) == (comment.pk, "It is about his policy.")


def test_another_browser_signed_in_to_that_account_does_not_open_it(
    client, rejected_as_a_guest, django_user_model
):
    _article, comment = rejected_as_a_guest
    elsewhere = Client()
    elsewhere.force_login(django_user_model.objects.get(email__startswith="reader"))

    assert elsewhere.get(f"/moderation/comments/{comment.pk}/why/").status_code == 404
