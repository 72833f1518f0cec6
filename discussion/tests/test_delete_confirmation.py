"""Deleting one's own comment says so on the article it returns to."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from discussion.tests.readers import make_reader
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_the_article_says_the_comment_was_deleted(client):
    reader = make_reader("Ada")
    thread = thread_ensure(page=make_article())
    comment = make_comment(thread, "Second thoughts.", user_id=reader.pk)
    client.force_login(reader)

    response = client.post(f"/discussion/comments/{comment.pk}/delete/", follow=True)

    shown = BeautifulSoup(response.content, "html.parser").select_one(
        ".messages[data-announce=page-status]"
    )
    assert shown is not None and "Your comment was deleted." in shown.get_text()
