"""What the API costs in queries is pinned, and does not grow with the thread or the site.

A thread page asked for by article id is one query (the article with its view restrictions and
its thread, top-level comments, their first replies) on the first page and on any page reached by
cursor, in every sort; by URL it is three (the article, its thread once the URL has named the
article, then the page); comment counts are two whatever the threads hold.
"""

from __future__ import annotations

import pytest

from api.tests.helpers import article_with_comments
from discussion.models import Comment
from discussion.tests.factories import make_comment

pytestmark = pytest.mark.django_db

URL = "/api/v1/threads/comments"
COUNTS = "/api/v1/articles/comment-counts"
SORTS = ["oldest", "newest", "reactions", "replies"]


@pytest.fixture(params=[6, 300], ids=["6-comments", "300-comments"])
def article(request):
    article, thread = article_with_comments(request.param)
    for comment in Comment.objects.filter(thread=thread, depth=0).order_by("id")[:4]:
        make_comment(thread, "A reply.", parent=comment)
    return article


@pytest.mark.parametrize("sort", SORTS)
def test_a_first_page_and_a_cursor_page_cost_one_query_in_every_sort(
    client, django_assert_num_queries, article, sort
):
    query = {"article": article.pk, "sort": sort, "limit": 2}
    client.get(URL, query)  # Wagtail caches the site list on the first request

    # the article (restrictions, thread) with the comments and their first replies
    with django_assert_num_queries(1):
        first = client.get(URL, query)
    with django_assert_num_queries(1):
        second = client.get(URL, query | {"cursor": first.json()["next_cursor"]})

    assert second.status_code == 200 and len(second.json()["comments"]) == 2


def test_a_page_deep_in_the_thread_costs_what_the_first_one_does(
    client, django_assert_num_queries, article
):
    query = {"article": article.pk, "limit": 1}
    cursor = None
    for _ in range(5):  # walk five pages in
        cursor = client.get(URL, query | ({"cursor": cursor} if cursor else {})).json()[
            "next_cursor"
        ]

    with django_assert_num_queries(1):
        response = client.get(URL, query | {"cursor": cursor})

    assert response.status_code == 200 and response.json()["comments"]


def test_counts_cost_two_queries_however_many_comments_the_threads_hold(
    client, django_assert_num_queries, article
):
    quiet, _thread = article_with_comments(1)
    ids = f"{article.pk},{quiet.pk}"

    with django_assert_num_queries(2):  # live public articles, their threads
        response = client.get(COUNTS, {"ids": ids})

    assert response.json()["counts"][str(quiet.pk)] == 1
