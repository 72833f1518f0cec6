"""A reader's "Download my data" holds what they told moderators: the comments they reported,
why, and their note (the note is theirs: it goes when they delete their account, accounts.erasures),
and their appeals."""

from __future__ import annotations

import json

import pytest

from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from discussion.tests.readers import make_reader, reauthenticate
from moderation.actions import RejectComment
from moderation.models import Appeal
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_download_my_data_lists_the_comments_i_reported_with_my_note(client):
    comment = make_comment(thread_ensure(page=make_article()), "A comment some readers dislike.")
    client.force_login(make_reader("Ada"))
    reauthenticate(client)  # the download asks for the password first
    client.post(
        f"/moderation/comments/{comment.pk}/report/",
        {"reason": "abuse", "text": "It names my neighbour."},
    )

    data = json.loads(client.post("/readers/me/export/").content)

    [report] = data["reports"]
    assert report["comment_id"] == comment.pk
    assert report["reason"] == "abuse"
    assert report["note"] == "It names my neighbour."
    assert report["reported_at"]


def test_download_my_data_lists_my_appeals(client, django_user_model):
    ada = make_reader("Ada")
    comment = make_comment(
        thread_ensure(page=make_article()), "My words.", name="Ada", user_id=ada.pk
    )
    entry = RejectComment(comment=comment, automated=True, reason_code="spam").execute()
    Appeal.objects.create(action=entry, comment=comment, text="It was not spam.")
    client.force_login(ada)
    reauthenticate(client)

    data = json.loads(client.post("/readers/me/export/").content)

    [appeal] = data["appeals"]
    assert appeal["comment_id"] == comment.pk
    assert appeal["text"] == "It was not spam."
    assert appeal["status"] == "open"
