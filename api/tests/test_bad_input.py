"""Whatever a client sends, the API answers a 4xx with a JSON detail, never a 500.

The cases come from /work/shared/design/bad-input.md ("Requests").
"""

from __future__ import annotations

import base64

import pytest

from api.tests.helpers import article_with_comments
from discussion.models import Comment
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

COMMENTS = "/api/v1/threads/comments"
COUNTS = "/api/v1/articles/comment-counts"


@pytest.fixture
def article():
    article, _thread = article_with_comments(3)
    return article


def _refused(response, status: int = 400) -> str:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()["detail"]


@pytest.mark.parametrize(
    "query",
    [
        "limit=abc",
        "limit=-1",
        "limit=0",
        "limit=1.5",
        "limit=" + "9" * 5000,
        "limit=5&limit=50",
        "sort=newest-first",
        "cursor=garbage",
        "cursor=%00",
        "cursor=" + "A" * 500,
        "cursor=b2xkZXN0Oi0x",  # "oldest:-1", well-formed base64 of a cursor never handed out
        "article=",
    ],
)
def test_bad_thread_parameters_are_a_400(client, article, query):
    assert _refused(client.get(f"{COMMENTS}?article={article.pk}&{query}"))


@pytest.mark.parametrize(
    "query",
    [
        "",
        "article=abc",
        "article=-3",
        "article=99999999999999999999999",
        "url=%2Fworld%2F%00",
        "article=1&url=%2F",
        "article=1&article=2",
    ],
)
def test_bad_article_parameters_are_a_400(client, query):
    assert _refused(client.get(f"{COMMENTS}?{query}"))


# Numbers a lax parser reads as 6 (pydantic read the first five and the last so); the API takes
# plain ASCII digits alone, with no leading zero, so each address has one spelling.
LOOSE_SIXES = ["6.0", "+6", " 6", "6 ", "06", "6e0", "6_0", "\u0666", "\uff16"]


@pytest.mark.parametrize("six", LOOSE_SIXES)
def test_an_article_id_not_in_plain_digits_is_a_400_naming_article(client, six):
    detail = _refused(client.get(COMMENTS, {"article": six}))

    assert detail.startswith("article: ") and "plain digits" in detail


@pytest.mark.parametrize("six", LOOSE_SIXES)
def test_a_limit_not_in_plain_digits_is_a_400_naming_limit(client, article, six):
    detail = _refused(client.get(COMMENTS, {"article": article.pk, "limit": six}))

    assert detail.startswith("limit: ") and "plain digits" in detail


@pytest.mark.parametrize("six", LOOSE_SIXES)
def test_comment_count_ids_not_in_plain_digits_are_a_400_naming_ids(client, six):
    detail = _refused(client.get(COUNTS, {"ids": f"1,{six}"}))

    assert detail.startswith("ids ") and "plain digits" in detail


def test_a_limit_above_the_cap_is_clamped(client):
    article, _thread = article_with_comments(101)

    response = client.get(COMMENTS, {"article": article.pk, "limit": 1000000})

    assert response.status_code == 200 and len(response.json()["comments"]) == 100


def test_unknown_query_fields_are_ignored(client, article):
    response = client.get(COMMENTS, {"article": article.pk, "admin": "1", "status": "pending"})

    assert response.status_code == 200 and len(response.json()["comments"]) == 3


@pytest.mark.parametrize(
    "query",
    [
        "article=999999",
        "url=%2Fno%2Fsuch%2Fstory%2F",
        "url=http%3A%2F%2F%5B",
        "url=%ED%A0%80",
        "url=%2Fworld%2F%2500%2F",  # a NUL that appears only once the path is unquoted
        "url=%2F",
    ],
)
def test_an_article_that_does_not_exist_is_a_404(client, query):
    assert _refused(client.get(f"{COMMENTS}?{query}"), status=404)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "ids=",
        "ids=1,abc",
        "ids=1,-2",
        "ids=%00",
        "ids=%ED%A0%80",
        "ids=1," + "9" * 5000,
        "ids=" + ",".join(str(n) for n in range(1, 52)),
        "ids=1&ids=2",
    ],
)
def test_bad_ids_are_a_400(client, query):
    assert _refused(client.get(f"{COUNTS}?{query}"))


def _cursor(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def test_a_cursor_with_the_largest_id_the_parameters_take_is_a_400(client, article):
    # 19 digits: within what an id column holds, but no comment has it.
    cursor = _cursor(f"oldest:{2**63 - 1}")

    assert _refused(client.get(COMMENTS, {"article": article.pk, "cursor": cursor}))


@pytest.mark.parametrize("sort", ["oldest", "newest", "reactions", "replies"])
def test_a_cursor_naming_a_comment_of_another_thread_is_a_400(client, article, sort):
    _other, other_thread = article_with_comments(1)
    elsewhere = other_thread.comments.get().pk
    after = f"0.{elsewhere}" if sort in ("reactions", "replies") else str(elsewhere)

    response = client.get(
        COMMENTS, {"article": article.pk, "sort": sort, "cursor": _cursor(f"{sort}:{after}")}
    )

    assert _refused(response)


def test_a_cursor_whose_comment_was_deleted_since_is_a_400_not_the_first_page_again(
    client, article
):
    first = client.get(COMMENTS, {"article": article.pk, "limit": 1}).json()
    Comment.objects.filter(pk=first["comments"][0]["id"]).delete()

    response = client.get(
        COMMENTS, {"article": article.pk, "limit": 1, "cursor": first["next_cursor"]}
    )

    assert "start again" in _refused(response)


def test_a_cursor_for_an_article_nobody_has_commented_on_is_a_400(client):
    article = make_article()

    response = client.get(COMMENTS, {"article": article.pk, "cursor": _cursor("oldest:1")})

    assert _refused(response)


def test_an_empty_url_is_a_400_not_an_article_that_is_not_found(client):
    assert "exactly one of article" in _refused(client.get(f"{COMMENTS}?url="))
