"""A reader's record in the admin (``/admin/moderation/readers/?reader=<key>``): what holds now,
their comments by queue, and every decision about them, newest first, with who made it and the
note the reader was given; what a moderator deciding a ban, or a ban's appeal, needs of their past.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission

from moderation import selectors
from moderation.actions import BanReader, LiftBan, WarnReader
from moderation.models import CommentReview
from moderation.tests.bob import ban_bob, post_as_bob, queries_answering
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

RECORD = "/admin/moderation/readers/"


@pytest.fixture
def article():
    return make_article()


@pytest.fixture
def bob(client, admin_client, admin_user, article) -> CommentReview:
    """Bob (a guest, in ``client``) commented, was banned for a day by ``admin``, then the ban
    was lifted and he was warned over that comment."""
    review = ban_bob(admin_client, client, article)
    LiftBan(reader_key=review.reader_key, user=admin_user).execute()
    _warn(review, admin_user, "Last warning about the adverts.")
    return review


def _warn(review: CommentReview, moderator, note: str) -> None:
    WarnReader(
        reader_key=review.reader_key,
        comment=review.comment,
        user=moderator,
        reason_code="spam",
        note=note,
    ).execute()


def _page(client, reader_key: str, **params):
    return client.get(RECORD, {"reader": reader_key, **params})


def _rows(response) -> list[list[str]]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [
        [" ".join(cell.get_text().split()) for cell in row.select("td")]
        for row in soup.select("[data-record-actions] tbody tr")
    ]


def test_a_readers_record_lists_the_decisions_about_them_newest_first(admin_client, bob):
    rows = _rows(_page(admin_client, bob.reader_key))

    assert [row[1] for row in rows] == [
        "Reader warned: spam",
        "Ban lifted",
        "Reader banned: spam, until " + rows[2][1].split("until ")[1],
    ]
    assert all(row[2] == "admin" for row in rows)
    warned = rows[0]
    assert warned[3] == f"On {bob.comment.thread.title}: “Bob's first comment on the talks.”"
    assert warned[4] == "Last warning about the adverts."
    assert rows[2][4] == "Stop the adverts."
    # The ban names no comment of its own, but it was made from that comment's card.
    assert rows[2][3] == warned[3]


def test_a_readers_record_says_what_holds_now_and_counts_their_comments(admin_client, bob):
    soup = BeautifulSoup(_page(admin_client, bob.reader_key).content, "html.parser")

    assert " ".join(soup.select_one("[data-record-who]").get_text().split()) == (
        "Bob (guest). Warned 1 time."
    )
    comments = soup.select_one("[data-record-comments]")
    assert " ".join(comments.get_text().split()) == (
        "Their comments: 0 pending, 0 approved, 1 unmoderated, 0 rejected."
    )
    assert comments.find("a", string="1 unmoderated")["href"].startswith(
        "/admin/moderation/queue/unmoderated/?author="
    )


def test_a_key_no_comment_or_decision_carries_is_not_found(admin_client, bob):
    assert _page(admin_client, "guest:nobody-has-this-key").status_code == 404
    assert _page(admin_client, "").status_code == 404


def test_staff_who_may_not_moderate_cannot_read_a_record(client, django_user_model, bob):
    editor = django_user_model.objects.create_user("ed", "", "pw-long-enough", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)

    response = _page(client, bob.reader_key)

    # Wagtail answers a PermissionDenied in the admin with a redirect to the dashboard.
    assert (response.status_code, response["Location"]) == (302, "/admin/")


def test_a_long_record_pages_older_decisions_by_keyset(admin_client, bob, monkeypatch):
    monkeypatch.setattr(selectors, "RECORD_PAGE_SIZE", 2)
    first = _page(admin_client, bob.reader_key)
    older = BeautifulSoup(first.content, "html.parser").find("a", string="Older")["href"]

    second = admin_client.get(RECORD + older)

    assert [row[1] for row in _rows(first)] == ["Reader warned: spam", "Ban lifted"]
    assert [row[1].split(",")[0] for row in _rows(second)] == ["Reader banned: spam"]
    assert BeautifulSoup(second.content, "html.parser").find("a", string="Older") is None


def _queries(client, reader_key: str) -> int:
    return queries_answering(client, RECORD, {"reader": reader_key})


def test_a_record_costs_the_same_queries_however_many_decisions_it_holds(
    admin_client, admin_user, bob
):
    _page(admin_client, bob.reader_key)  # the session as a second request reads it
    three = _queries(admin_client, bob.reader_key)
    for n in range(2):
        BanReader(
            reader_key=bob.reader_key, user=admin_user, reason_code="spam", note=f"Ban {n}."
        ).execute()
        LiftBan(reader_key=bob.reader_key, user=admin_user).execute()

    assert len(_rows(_page(admin_client, bob.reader_key))) == 7
    assert _queries(admin_client, bob.reader_key) == three


def test_a_comments_card_links_to_its_authors_record(admin_client, client, article):
    post_as_bob(client, article, "Bob's comment for the queue.")
    review = CommentReview.objects.get()
    card = BeautifulSoup(
        admin_client.get("/admin/moderation/queue/unmoderated/").content, "html.parser"
    ).select_one("[data-mod-card]")

    link = card.find("a", string="Their record")["href"]

    assert link.startswith(RECORD + "?reader=")
    record = BeautifulSoup(admin_client.get(link).content, "html.parser")
    assert record.select_one("[data-record-who]").get_text().startswith("Bob (guest).")
    assert review.reader_key.startswith("guest:")
