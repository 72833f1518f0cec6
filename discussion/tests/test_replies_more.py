"""Replies loaded by "Show more replies" offer the same actions as those the article page shows."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from discussion.models import Thread
from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from discussion.tests.readers import make_reader
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def sub_thread():
    """A top-level comment with five replies: three shown at first, two behind "more"."""
    thread = thread_ensure(page=make_article())
    root = make_comment(thread, "The comment everyone answers.")
    replies = [make_comment(thread, f"Reply number {n}.", parent=root) for n in range(1, 6)]
    return thread, root, replies


def _more(client, root, after):
    html = client.get(f"/discussion/comments/{root.pk}/replies/?after={after.path}", **HTMX)
    assert html.status_code == 200
    return BeautifulSoup(html.content, "html.parser")


def test_more_replies_on_a_closed_thread_offer_no_reply_or_report(client, sub_thread):
    thread, root, replies = sub_thread
    Thread.objects.filter(pk=thread.pk).update(is_closed=True)

    soup = _more(client, root, replies[2])

    assert soup.select_one(f"#c-{replies[3].pk}") is not None
    assert soup.select(".comment__reply") == []
    assert soup.select(".comment__report") == []


def test_a_readers_own_reply_loaded_by_more_offers_edit_and_delete(client, sub_thread):
    thread, root, replies = sub_thread
    ada = make_reader("Ada")
    own = make_comment(thread, "My own late reply.", parent=root, user_id=ada.pk)
    client.force_login(ada)

    soup = _more(client, root, replies[2])

    mine = soup.select_one(f"#c-{own.pk}")
    assert mine is not None
    assert [a.get_text(" ", strip=True) for a in mine.select(".comment__own a")][:2] == [
        "Edit your comment",
        "Delete your comment",
    ]
    assert soup.select_one(f"#c-{replies[3].pk} .comment__own") is None
