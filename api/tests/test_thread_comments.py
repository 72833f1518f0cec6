"""GET /api/v1/threads/comments: a thread's published comments a page at a time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import clear_script_prefix, set_script_prefix
from django.utils import timezone

from api.tests.helpers import article_with_comments, top_level_ids
from discussion.models import Comment
from discussion.tests.factories import make_comment
from newsroom.models import ArticlePage
from newsroom.tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

URL = "/api/v1/threads/comments"


def test_a_page_carries_each_comments_stored_html_author_times_and_counts(client):
    article, thread = article_with_comments(1, replies_each=1)
    comment = Comment.objects.get(thread=thread, depth=0)
    Comment.objects.filter(pk=comment.pk).update(reaction_count=4, edited_at=timezone.now())

    data = client.get(URL, {"article": article.pk}).json()

    assert data["article_id"] == article.pk and data["comment_count"] == 2
    first = data["comments"][0]
    assert first["html"] == comment.html and "<p>" in first["html"]
    assert first["author_name"] == "Reader 0"
    assert first["reaction_count"] == 4 and first["reply_count"] == 1
    assert first["permalink"] == f"/c/{comment.pk}/"
    assert first["created_at"].endswith(("Z", "+00:00")) and first["edited_at"]
    assert [reply["html"] for reply in first["replies"]] == ["<p>Reply 0.</p>"]


def test_permalinks_carry_the_prefix_the_site_is_served_under(client):
    """A site served below a path (a proxy's SCRIPT_NAME) links its comments below that path,
    however many requests without one came before."""
    article, thread = article_with_comments(1, replies_each=1)
    comment = Comment.objects.get(thread=thread, depth=0)
    reply = Comment.objects.get(thread=thread, depth=1)
    assert client.get(URL, {"article": article.pk}).json()["comments"][0]["permalink"] == (
        f"/c/{comment.pk}/"
    )

    # What Django's WSGI handler does with a request's SCRIPT_NAME (the test client does not).
    set_script_prefix("/paper/")
    try:
        data = client.get(URL, {"article": article.pk}).json()
    finally:
        clear_script_prefix()

    assert data["comments"][0]["permalink"] == f"/paper/c/{comment.pk}/"
    assert data["comments"][0]["replies"][0]["permalink"] == f"/paper/c/{reply.pk}/"


def test_the_html_is_what_was_stored_when_the_comment_was_written(client):
    """Reading never renders markdown: the API hands out the column as it is."""
    article, thread = article_with_comments(1)
    Comment.objects.filter(thread=thread).update(html="<p>stored at write time</p>")

    data = client.get(URL, {"article": article.pk}).json()

    assert data["comments"][0]["html"] == "<p>stored at write time</p>"


def test_cursors_walk_the_whole_thread_oldest_first_without_repeats(client):
    article, thread = article_with_comments(7)
    seen, cursor = [], None
    while True:
        query = {"article": article.pk, "limit": 3} | ({"cursor": cursor} if cursor else {})
        data = client.get(URL, query).json()
        seen += [comment["id"] for comment in data["comments"]]
        cursor = data["next_cursor"]
        if cursor is None:
            break
    assert seen == top_level_ids(thread)


def test_replies_beyond_the_first_few_are_counted_not_sent(client, settings):
    settings.REPLIES_SHOWN = 3
    article, _thread = article_with_comments(1, replies_each=5)

    first = client.get(URL, {"article": article.pk}).json()["comments"][0]

    assert len(first["replies"]) == 3 and first["more_replies"] == 2 and first["reply_count"] == 5


def test_the_article_can_be_named_by_its_address_or_path(client):
    article, thread = article_with_comments(2)
    path = article.url_path.removeprefix(article.get_site().root_page.url_path)

    by_path = client.get(URL, {"url": "/" + path}).json()
    by_address = client.get(URL, {"url": "http://localhost/" + path.rstrip("/")}).json()

    assert by_path["article_id"] == by_address["article_id"] == article.pk


def test_on_a_site_served_under_a_path_prefix_the_article_is_named_by_its_address(client):
    """A partner on a site at /news/ passes the article's address as a reader sees it, the
    prefix included."""
    article, thread = article_with_comments(2)
    path = article.url_path.removeprefix(article.get_site().root_page.url_path)

    # What Django's WSGI handler does with a request's SCRIPT_NAME (the test client does not).
    set_script_prefix("/news/")
    try:
        by_path = client.get(URL, {"url": "/news/" + path}, SCRIPT_NAME="/news")
        by_address = client.get(URL, {"url": "http://localhost/news/" + path}, SCRIPT_NAME="/news")
    finally:
        clear_script_prefix()

    assert by_path.json()["article_id"] == by_address.json()["article_id"] == article.pk


def test_an_article_nobody_has_commented_on_is_an_empty_page(client):
    article = make_article()

    data = client.get(URL, {"article": article.pk}).json()

    assert data["comments"] == [] and data["next_cursor"] is None


def test_comments_waiting_for_review_stay_out(client):
    article, thread = article_with_comments(1)
    Comment.objects.filter(thread=thread).update(status=Comment.Status.PENDING)

    assert client.get(URL, {"article": article.pk}).json()["comments"] == []


def test_a_deleted_comment_keeps_its_place_but_not_its_words_or_name(client):
    article, thread = article_with_comments(1)
    Comment.objects.filter(thread=thread).update(status=Comment.Status.DELETED)

    first = client.get(URL, {"article": article.pk}).json()["comments"][0]

    assert first["deleted"] and first["html"] == "" and first["author_name"] is None


def test_an_unpublished_article_is_not_found(client):
    article, _thread = article_with_comments(1)
    article.unpublish()

    response = client.get(URL, {"article": article.pk})

    assert response.status_code == 404 and response.json()["detail"]


def test_an_embargoed_article_is_not_found_until_it_publishes(client):
    section = make_section()
    article = ArticlePage(
        title="Budget embargoed until noon",
        slug="embargoed-budget",
        standfirst="Details of the budget.",
        live=False,
        go_live_at=timezone.now() + timedelta(hours=1),
    )
    section.add_child(instance=article)
    article.save_revision().publish()  # scheduled: stays unpublished until go_live_at
    article.refresh_from_db()
    assert not article.live

    assert client.get(URL, {"article": article.pk}).status_code == 404
    counts = client.get("/api/v1/articles/comment-counts", {"ids": article.pk}).json()
    assert counts == {"counts": {}}


@pytest.mark.parametrize("count", [3, 300])
@pytest.mark.parametrize("named_by", ["article", "url"])
def test_a_page_costs_the_same_queries_however_long_the_thread(
    client, django_assert_num_queries, count, named_by
):
    article, thread = article_with_comments(count)
    replied = Comment.objects.filter(thread=thread, depth=0).first()
    make_comment(thread, "A reply.", parent=replied)
    query = {"article": article.pk} if named_by == "article" else {"url": article.url}
    client.get(URL, query)  # Wagtail caches the site list on the first request

    # By id: one query, the article (restrictions and thread in it) with the comments and their
    # replies. A URL has to name the article before its page's version token is read, then the
    # same one query as by id: one more.
    with django_assert_num_queries(1 if named_by == "article" else 2):
        response = client.get(URL, query)

    assert response.status_code == 200 and len(response.json()["comments"]) == min(count, 20)
