"""Download my data is written out as it is read, a page of comments and recommendations at a
time: a member with years of comments made an app process hold all of them at once, several
times over (the rows, the dicts, one JSON string), many times the file's size."""

from __future__ import annotations

import json

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from accounts import data_exports
from core import json_stream
from discussion.models import Comment, CommentRevision, Reaction
from discussion.tests.factories import make_comment, make_thread
from discussion.tests.readers import make_reader, reauthenticate
from moderation.models import Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(client):
    user = make_reader("Ada", email="ada@example.com")
    client.force_login(user)
    reauthenticate(client)  # the download asks for the password first
    return user


def _mine(user, thread, count: int) -> list[Comment]:
    return [
        make_comment(thread, f"Mine, number {n}.", name="Ada", user_id=user.pk)
        for n in range(count)
    ]


def _recommend_and_report(user, thread, count: int) -> list[Comment]:
    theirs = [make_comment(thread, f"Theirs, number {n}.", name="Bo") for n in range(count)]
    for comment in theirs:
        Reaction.objects.create(comment=comment, reader_key=f"u{user.pk}", network="192.0.2.1")
        Report.objects.create(comment=comment, reason="spam", reporter_key=f"user:{user.pk}")
    return theirs


def test_download_my_data_is_streamed_and_is_the_same_document(client, ada, settings):
    thread = make_thread(title="A story")
    [first, second] = _mine(ada, thread, 2)
    CommentRevision.objects.create(
        comment=first, body="Before.", html="<p>Before.</p>", written_at=first.created_at
    )
    [theirs] = _recommend_and_report(ada, thread, 1)

    response = client.post("/readers/me/export/")

    assert response.streaming
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="my-broadsheet-data.json"'
    body = response.getvalue().decode()
    data = json.loads(body)
    # Laid out as json.dumps(..., indent=2) laid out the whole document in one string.
    assert body == json.dumps(data, indent=2, ensure_ascii=False)
    assert list(data) == [
        "exported_at",
        "site",
        "profile",
        "sign_in_providers",
        "notification_settings",
        "comments",
        "ignoring",
        "reactions",
        "not_included",
        "moderator_notes",
        "comment_addresses",
        "reports",
        "appeals",
        "decisions",
        "standing",
    ]
    base = settings.SITE_BASE_URL
    assert data["comments"] == [
        {
            "id": comment.pk,
            "article": "A story",
            "status": "published",
            "body": comment.body,
            "created_at": comment.created_at.isoformat(),
            "edited_at": None,
            "in_reply_to": None,
            "reply_emails": True,
            "earlier_versions": versions,
            "url": f"{base}/c/{comment.pk}/",
        }
        for comment, versions in [
            (
                first,
                [
                    {
                        "body": "Before.",
                        "written_at": first.created_at.isoformat(),
                        "replaced_at": first.revisions.get().replaced_at.isoformat(),
                    }
                ],
            ),
            (second, []),
        ]
    ]
    assert data["reactions"] == [
        {
            "comment_id": theirs.pk,
            "article": "A story",
            "created_at": Reaction.objects.get().created_at.isoformat(),
            "network": "192.0.2.1",
            "comment_url": f"{base}/c/{theirs.pk}/",
        }
    ]
    assert data["profile"]["email"] == "ada@example.com"
    assert data["comment_addresses"] == [
        {"comment_id": first.pk, "ip_address": ""},
        {"comment_id": second.pk, "ip_address": ""},
    ]


def test_every_comment_and_recommendation_comes_across_several_pages(client, ada, monkeypatch):
    monkeypatch.setattr(data_exports, "PAGE_SIZE", 2)
    thread = make_thread()
    mine = _mine(ada, thread, 7)  # three full pages and one short
    make_comment(thread, "Not mine.", name="Bo")
    # An earlier text on each side of a page's edge.
    for comment in (mine[1], mine[2]):
        CommentRevision.objects.create(
            comment=comment, body=f"Was {comment.body}", html="", written_at=comment.created_at
        )
    recommended = _recommend_and_report(ada, thread, 4)  # two full pages, then one found empty

    data = json.loads(client.post("/readers/me/export/").getvalue())

    assert [c["id"] for c in data["comments"]] == [c.pk for c in mine]
    assert [c["body"] for c in data["comments"]] == [c.body for c in mine]
    assert {c["id"]: [v["body"] for v in c["earlier_versions"]] for c in data["comments"]} == {
        c.pk: [f"Was {c.body}"] if c in (mine[1], mine[2]) else [] for c in mine
    }
    assert [r["comment_id"] for r in data["reactions"]] == [c.pk for c in recommended]
    # Moderation's sections that grow with the member's comments and reports, as well.
    assert [a["comment_id"] for a in data["comment_addresses"]] == [c.pk for c in mine]
    assert [r["comment_id"] for r in data["reports"]] == [c.pk for c in recommended]


def _queries_of_a_download(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        json.loads(client.post("/readers/me/export/").getvalue())
    return len(queries)


def test_each_page_of_the_download_reads_the_same_few_queries_however_many_comments(
    client, ada, monkeypatch
):
    monkeypatch.setattr(data_exports, "PAGE_SIZE", 3)
    thread = make_thread()
    _mine(ada, thread, 4)  # two pages of comments
    _recommend_and_report(ada, thread, 4)  # two of recommendations
    two_pages = _queries_of_a_download(client)

    # 16 each: six pages, four more of comments (their rows, their earlier texts, their
    # addresses), of recommendations and of reports (one query each).
    _mine(ada, thread, 12)
    _recommend_and_report(ada, thread, 12)
    six_pages = _queries_of_a_download(client)

    assert six_pages - two_pages <= 4 * 3 + 4 * 1 + 4 * 1
    # A page of many rows is no more queries than a page of one.
    monkeypatch.setattr(data_exports, "PAGE_SIZE", 100)
    one_page_of_sixteen = _queries_of_a_download(client)
    first_mine = Comment.objects.filter(author=ada).order_by("id").first()
    Comment.objects.filter(author=ada).exclude(pk=first_mine.pk).delete()
    Reaction.objects.exclude(pk=Reaction.objects.order_by("id").first().pk).delete()
    assert _queries_of_a_download(client) == one_page_of_sixteen


def test_a_download_cut_off_by_the_database_is_not_valid_json(client, ada, monkeypatch):
    # The answer has started when the database fails half-way: it cannot become an error page,
    # so the stream ends there, without the document's closing brace. The browser's file is
    # not valid JSON rather than a shorter file that looks complete.
    monkeypatch.setattr(data_exports, "PAGE_SIZE", 2)
    monkeypatch.setattr(json_stream, "PIECE_CHARS", 1)  # a piece per value, as it is read
    _mine(ada, make_thread(), 6)

    response = client.post("/readers/me/export/")
    received = b""
    with pytest.raises(DatabaseError):
        for piece in response.streaming_content:
            received += piece
            if b"Mine, number 0." in received and "discussion_commentrevision" in (
                connection.introspection.table_names()
            ):
                # The first page is written: the table the next page reads is gone.
                with connection.cursor() as cursor:
                    cursor.execute("DROP TABLE discussion_commentrevision")

    assert b'"comments": [' in received
    with pytest.raises(json.JSONDecodeError):
        json.loads(received)
