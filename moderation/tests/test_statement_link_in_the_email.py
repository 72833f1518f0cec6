"""The link in the email that tells an author their comment was removed opens its statement of
reasons, and takes their appeal, wherever they open it: a guest is known to the page by a cookie,
which the phone or mail app they read the email in does not have. Before, that link answered
"There is no page at this address." to anyone without the cookie."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from discussion.models import Comment
from moderation.actions import RejectComment
from moderation.models import Appeal
from newsroom.tests.factories import make_article

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("email_tasks_run_as_queued")]


@pytest.fixture
def emailed_link(client, moderator, mailoutbox, django_capture_on_commit_callbacks, settings):
    """A guest's comment, posted with their address, rejected: the link in their email."""
    settings.SITE_BASE_URL = "https://news.example"
    client.post(
        make_article().url,
        {"body": "The minister is a moron.", "author_name": "Olena",
         "author_email": "olena@example.com", "idempotency_key": ""},
    )  # fmt: skip
    comment = Comment.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        RejectComment(comment=comment, user=moderator, reason_code="abuse").execute()
    [email] = mailoutbox
    return re.search(r"https://news\.example(\S+)", email.body).group(1)


def test_the_emailed_link_opens_the_statement_in_a_browser_without_the_guest_cookie(
    emailed_link,
):
    response = Client().get(emailed_link)

    assert response.status_code == 200
    text = BeautifulSoup(response.content, "html.parser").select_one("main").get_text(" ")
    assert "Why your comment was not published" in text
    assert "It attacks or insults a person." in text


def test_the_emailed_link_takes_the_authors_appeal(emailed_link):
    Client().post(emailed_link, {"text": "It is about a minister's policy."})

    assert Appeal.objects.get().text == "It is about a minister's policy."


def test_the_link_with_its_key_altered_or_on_another_comment_opens_nothing(emailed_link):
    comment = Comment.objects.get()
    tampered = emailed_link[:-3] + ("aaa" if not emailed_link.endswith("aaa") else "bbb")
    other = emailed_link.replace(f"/comments/{comment.pk}/", f"/comments/{comment.pk + 1}/")

    assert Client().get(tampered).status_code == 404
    assert Client().get(other).status_code == 404
    assert Client().get(emailed_link.split("?")[0]).status_code == 404
