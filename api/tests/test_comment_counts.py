"""GET /api/v1/articles/comment-counts: counts for many articles in one request."""

from __future__ import annotations

import pytest

from api.tests.helpers import article_with_comments
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

URL = "/api/v1/articles/comment-counts"


def test_counts_come_back_keyed_by_article_id(client):
    busy, _ = article_with_comments(3)
    quiet = make_article()

    data = client.get(URL, {"ids": f"{busy.pk},{quiet.pk}"}).json()

    assert data["counts"] == {str(busy.pk): 3, str(quiet.pk): 0}


def test_unknown_and_unpublished_articles_are_left_out_alike(client):
    live, _ = article_with_comments(1)
    withdrawn, _ = article_with_comments(1)
    withdrawn.unpublish()

    data = client.get(URL, {"ids": f"{live.pk},{withdrawn.pk},999999"}).json()

    assert data["counts"] == {str(live.pk): 1}


def test_fifty_ids_are_accepted(client):
    article, _ = article_with_comments(1)
    ids = ",".join([str(article.pk)] + [str(900000 + n) for n in range(49)])

    response = client.get(URL, {"ids": ids})

    assert response.status_code == 200 and response.json()["counts"] == {str(article.pk): 1}


@pytest.mark.parametrize("articles", [3, 20])
def test_counts_cost_the_same_queries_however_many_articles(
    client, django_assert_num_queries, articles
):
    ids = ",".join(str(make_article().pk) for _ in range(articles))

    with django_assert_num_queries(2):  # live public articles, their threads
        response = client.get(URL, {"ids": ids})

    assert len(response.json()["counts"]) == articles
