"""GET /api/v1/threads/comments?sort=…: every order of the article page, each a keyset walk."""

from __future__ import annotations

import base64

import pytest

from api.tests.helpers import article_with_comments
from discussion.models import Comment
from discussion.tests.factories import make_comment

pytestmark = pytest.mark.django_db

URL = "/api/v1/threads/comments"

ORDERS = {
    "oldest": lambda c: c.pk,
    "newest": lambda c: -c.pk,
    "reactions": lambda c: (-c.reaction_count, -c.pk),
    "replies": lambda c: (-c.reply_count, -c.pk),
}


def _uneven_thread(count: int = 7):
    """Top-level comments with tied and uneven reaction and reply counts."""
    article, thread = article_with_comments(count)
    for i, comment in enumerate(Comment.objects.filter(thread=thread, depth=0).order_by("id")):
        Comment.objects.filter(pk=comment.pk).update(reaction_count=i % 3)
        for _ in range(i % 4):
            make_comment(thread, "A reply.", parent=comment)
    return article, thread


def _walk(client, article, sort: str, limit: int = 2) -> list[dict]:
    seen, cursor = [], None
    while True:
        query = {"article": article.pk, "sort": sort, "limit": limit}
        data = client.get(URL, query | ({"cursor": cursor} if cursor else {})).json()
        assert data["sort"] == sort
        seen += data["comments"]
        cursor = data["next_cursor"]
        if cursor is None:
            return seen


@pytest.mark.parametrize("sort", list(ORDERS))
def test_each_sort_walks_every_top_level_comment_once_in_its_order(client, sort):
    article, thread = _uneven_thread()

    walked = _walk(client, article, sort)

    expected = sorted(Comment.objects.filter(thread=thread, depth=0), key=ORDERS[sort])
    assert [c["id"] for c in walked] == [c.pk for c in expected]
    assert [c["reply_count"] for c in walked] == [c.reply_count for c in expected]


def test_most_reactions_first_pages_by_count_then_newest(client):
    article, thread = article_with_comments(4)
    low, high, tie_old, tie_new = Comment.objects.filter(thread=thread).order_by("id")
    for comment, count in ((low, 1), (high, 9), (tie_old, 5), (tie_new, 5)):
        Comment.objects.filter(pk=comment.pk).update(reaction_count=count)

    first = client.get(URL, {"article": article.pk, "sort": "reactions", "limit": 2}).json()
    rest = client.get(
        URL,
        {"article": article.pk, "sort": "reactions", "limit": 2, "cursor": first["next_cursor"]},
    ).json()

    assert [c["id"] for c in first["comments"]] == [high.pk, tie_new.pk]
    assert [c["id"] for c in rest["comments"]] == [tie_old.pk, low.pk]
    assert [c["reaction_count"] for c in first["comments"] + rest["comments"]] == [9, 5, 5, 1]


def test_a_comment_gaining_reactions_meanwhile_does_not_repeat_on_the_next_page(client):
    """Keyset pages: what comes next is decided by the cursor, not by an offset."""
    article, thread = article_with_comments(4)
    first = client.get(URL, {"article": article.pk, "sort": "reactions", "limit": 2}).json()
    shown = [c["id"] for c in first["comments"]]
    Comment.objects.filter(pk=shown[0]).update(reaction_count=50)

    rest = client.get(
        URL,
        {"article": article.pk, "sort": "reactions", "limit": 2, "cursor": first["next_cursor"]},
    ).json()

    assert not {c["id"] for c in rest["comments"]} & set(shown)


@pytest.mark.parametrize(("made_by", "used_with"), [("newest", "oldest"), ("replies", "reactions")])
def test_a_cursor_only_works_with_the_sort_that_made_it(client, made_by, used_with):
    article, _thread = _uneven_thread()
    cursor = client.get(URL, {"article": article.pk, "sort": made_by, "limit": 2}).json()[
        "next_cursor"
    ]

    response = client.get(URL, {"article": article.pk, "sort": used_with, "cursor": cursor})

    assert response.status_code == 400 and "cursor" in response.json()["detail"]


@pytest.mark.parametrize(
    "raw",
    [
        "reactions:5",  # a counted sort needs its count as well
        "reactions:5.0",  # no comment has id 0
        "reactions:x.5",
        "reactions:-1.5",
        "reactions:1.2.3",
        "reactions:99999999999999999999.5",
    ],
)
def test_counted_sort_cursors_this_api_never_gave_out_are_a_400(client, raw):
    article, _thread = article_with_comments(2)
    cursor = base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    response = client.get(URL, {"article": article.pk, "sort": "reactions", "cursor": cursor})

    assert response.status_code == 400 and response.json()["detail"]


@pytest.mark.parametrize("sort", ["best", "", "OLDEST", "oldest ", "reactions\x00"])
def test_an_unknown_sort_is_a_400_naming_the_choices(client, sort):
    article, _thread = article_with_comments(1)

    response = client.get(URL, {"article": article.pk, "sort": sort})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    detail = response.json()["detail"]
    assert detail.startswith("sort:") and "'newest'" in detail and "'replies'" in detail


def test_the_openapi_document_lists_the_sorts(client):
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/threads/comments"]
    sort = next(p for p in operation["get"]["parameters"] if p["name"] == "sort")

    assert sort["schema"]["enum"] == ["oldest", "newest", "reactions", "replies"]
    assert sort["schema"]["default"] == "oldest"
