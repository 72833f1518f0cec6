"""A reader banned after posting cannot put new words into a comment they posted before."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from discussion.models import Comment
from discussion.tests.readers import make_reader
from moderation.models import ReaderStanding
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def _post(client, article, **extra) -> Comment:
    client.post(
        article.url,
        {"body": "A fair point.", "author_name": "Olena", "idempotency_key": "", **extra},
    )
    return Comment.objects.get()


def _edit(client, comment):
    return client.post(f"/discussion/comments/{comment.pk}/edit/", {"body": "Abuse, newly added."})


def test_a_guest_banned_after_posting_cannot_edit_their_comment(client):
    comment = _post(client, make_article())
    # The key screening recorded the guest under when they posted (their signed cookie).
    assert comment.review.reader_key.startswith("guest:")
    ReaderStanding.objects.create(reader_key=comment.review.reader_key, banned=True)

    response = _edit(client, comment)

    comment.refresh_from_db()
    assert response.status_code == 400
    assert "cannot comment on this site" in response.content.decode()
    assert comment.body == "A fair point."


def test_a_banned_readers_refused_edit_links_to_the_bans_statement_and_appeal(client):
    comment = _post(client, make_article())
    ReaderStanding.objects.create(reader_key=comment.review.reader_key, banned=True)

    response = _edit(client, comment)

    error = BeautifulSoup(response.content, "html.parser").select_one("#edit-body-error")
    link = error.find("a")
    assert (link["href"], link.get_text()) == ("/moderation/ban/", "Why, and how to appeal the ban")


def test_a_member_banned_after_posting_cannot_edit_their_comment(client):
    ada = make_reader("Ada")
    client.force_login(ada)
    comment = _post(client, make_article())
    ReaderStanding.objects.create(reader_key=f"user:{ada.pk}", banned=True)

    response = _edit(client, comment)

    comment.refresh_from_db()
    assert response.status_code == 400
    assert comment.body == "A fair point."


def test_a_reader_in_good_standing_still_edits(client):
    comment = _post(client, make_article())

    _edit(client, comment)

    comment.refresh_from_db()
    assert comment.body == "Abuse, newly added."
