"""A reader's "Download my data" holds what they told moderators: the comments they reported,
why, and their note (the note is theirs: it goes when they delete their account, accounts.erasures),
and their appeals; and what moderation keeps of where they were: the address of each of their
comments and the network of each report (until IP_RETENTION_DAYS clears them)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from discussion.tests.readers import make_reader, reauthenticate
from moderation.actions import RejectComment, WarnReader
from moderation.models import Appeal, CommentReview, Report
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

    data = json.loads(client.post("/readers/me/export/").getvalue())

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

    data = json.loads(client.post("/readers/me/export/").getvalue())

    [appeal] = data["appeals"]
    assert appeal["comment_id"] == comment.pk
    assert appeal["text"] == "It was not spam."
    assert appeal["status"] == "open"


def test_download_my_data_gives_the_address_of_each_of_my_comments_and_no_one_elses(client):
    # GDPR Art. 15: the address kept with each comment is the reader's to see, theirs alone.
    thread = thread_ensure(page=make_article())
    # A guest's, under the name before a member took it.
    make_comment(thread, "A guest under my name.", name="Ada", ip_address="192.0.2.50")
    ada = make_reader("Ada")
    mine = make_comment(thread, "Mine.", name="Ada", user_id=ada.pk, ip_address="203.0.113.7")
    cleared = make_comment(
        thread, "Mine, long ago.", name="Ada", user_id=ada.pk, ip_address="203.0.113.8"
    )
    CommentReview.objects.filter(comment=cleared).update(ip_address=None)  # IP_RETENTION_DAYS
    bo = make_reader("Bo")
    make_comment(thread, "Bo's.", name="Bo", user_id=bo.pk, ip_address="192.0.2.60")
    client.force_login(ada)
    reauthenticate(client)

    data = json.loads(client.post("/readers/me/export/").getvalue())

    assert data["comment_addresses"] == [
        {"comment_id": mine.pk, "ip_address": "203.0.113.7"},
        {"comment_id": cleared.pk, "ip_address": ""},
    ]


def test_download_my_data_gives_the_network_each_of_my_reports_came_from(client):
    thread = thread_ensure(page=make_article())
    first = make_comment(thread, "One comment.")
    second = make_comment(thread, "Another comment.")
    bo = Client(REMOTE_ADDR="192.0.2.60")
    bo.force_login(make_reader("Bo"))
    bo.post(f"/moderation/comments/{first.pk}/report/", {"reason": "spam"})
    ada = Client(REMOTE_ADDR="198.51.100.4")
    ada.force_login(make_reader("Ada"))
    reauthenticate(ada)
    ada.post(f"/moderation/comments/{first.pk}/report/", {"reason": "abuse"})
    ada.post(f"/moderation/comments/{second.pk}/report/", {"reason": "spam"})
    Report.objects.filter(comment=second).update(network="")  # cleared after IP_RETENTION_DAYS

    data = json.loads(ada.post("/readers/me/export/").getvalue())

    assert [(r["comment_id"], r["network"]) for r in data["reports"]] == [
        (first.pk, "198.51.100.4"),
        (second.pk, ""),
    ]


def test_download_my_data_lists_the_decisions_moderators_made_about_me_with_their_reasons(
    client, django_user_model
):
    # The statements of reasons a member received (DSA Art. 17) are theirs to see, as each
    # comment's page shows them: the download left them out, and the bans and warnings with them.
    ada = make_reader("Ada")
    comment = make_comment(
        thread_ensure(page=make_article()), "My words.", name="Ada", user_id=ada.pk
    )
    moderator = django_user_model.objects.create_superuser("boss", "b@example.com", "pw-long-1")
    RejectComment(
        comment=comment, user=moderator, reason_code="spam", note="Selling pills."
    ).execute()
    WarnReader(
        comment=comment, reader_key=f"user:{ada.pk}", user=moderator, reason_code="spam"
    ).execute()
    someone_else = make_comment(thread_ensure(page=make_article()), "Theirs.", name="Bo")
    RejectComment(comment=someone_else, user=moderator, reason_code="abuse").execute()
    client.force_login(ada)
    reauthenticate(client)

    data = json.loads(client.post("/readers/me/export/").getvalue())

    rejected, warned = data["decisions"]
    assert (rejected["comment_id"], rejected["decision"]) == (comment.pk, "Rejected: spam")
    assert rejected["by"] == "a moderator" and rejected["note"] == "Selling pills."
    assert rejected["decided_at"]
    assert (warned["comment_id"], warned["decision"]) == (comment.pk, "Reader warned: spam")
    assert data["standing"]["warnings"] == 1


def test_download_my_data_says_nothing_restricts_a_member_moderators_never_acted_on(client):
    client.force_login(make_reader("Ada"))
    reauthenticate(client)

    data = json.loads(client.post("/readers/me/export/").getvalue())

    assert data["decisions"] == []
    assert data["standing"] == {
        "banned": False,
        "banned_until": None,
        "premoderated": False,
        "warnings": 0,
    }
