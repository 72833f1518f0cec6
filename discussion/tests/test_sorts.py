"""Orders of top-level comments: every one is a keyset walk that visits each comment once, keeps
each comment's own number, and survives a bad ``sort`` or cursor."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from discussion.models import Comment
from discussion.selectors import SORTS, thread_page
from discussion.services import thread_ensure
from discussion.tests.factories import make_comment, make_thread
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _seed(thread, n=7):
    """n top-level comments with uneven, tied reaction and reply counts."""
    roots = [make_comment(thread, f"c{i}") for i in range(n)]
    for i, root in enumerate(roots):
        Comment.objects.filter(pk=root.pk).update(reaction_count=i % 3)
        for _ in range(i % 4):
            make_comment(thread, "r", parent=root)
    return roots


def _walk(thread, sort, limit=2):
    seen, after = [], None
    while True:
        page = thread_page(thread=thread, sort=sort, after=after, limit=limit, replies_shown=1)
        seen += page.comments
        if page.next_cursor is None:
            return seen
        after = page.next_cursor


@pytest.mark.parametrize(
    ("sort", "key"),
    [
        ("oldest", lambda c: c.pk),
        ("newest", lambda c: -c.pk),
        ("reactions", lambda c: (-c.reaction_count, -c.pk)),
        ("replies", lambda c: (-c.reply_count, -c.pk)),
    ],
)
def test_each_sort_pages_through_every_comment_once_in_order(sort, key):
    thread = make_thread()
    _seed(thread)
    walked = _walk(thread, sort)
    expected = sorted(Comment.objects.filter(thread=thread, depth=0), key=key)
    assert [c.pk for c in walked] == [c.pk for c in expected]
    assert {c.number for c in walked} == set(range(1, 8))


def test_an_unknown_sort_or_garbled_cursor_reads_as_the_first_oldest_page():
    thread = make_thread()
    roots = _seed(thread, 3)
    page = thread_page(thread=thread, sort="drop table", after="9.x.1", limit=5, replies_shown=1)
    assert [c.pk for c in page.comments] == [r.pk for r in roots]


def test_a_sorted_page_with_its_first_replies_costs_one_query():
    thread = make_thread()
    _seed(thread)
    for sort in SORTS:
        with CaptureQueriesContext(connection) as queries:
            thread_page(thread=thread, sort=sort, after=None, limit=3, replies_shown=2)
        assert len(queries) == 1, sort


def test_the_counted_sorts_read_a_partial_index_not_the_table():
    # A big thread among others, with the planner's statistics gathered (ANALYZE) as a real
    # database has them: its most-recommended and most-replied comments are read in order from
    # their partial index, where without one every top-level comment would be read and sorted.
    big, elsewhere = make_thread(), make_thread()
    now = timezone.now()
    Comment.objects.bulk_create(
        Comment(
            thread=thread,
            path=f"{n:012d}",
            number=n,
            author_name="Reader",
            body="b",
            html="<p>b</p>",
            reaction_count=n % 50,
            reply_count=n % 30,
            created_at=now,
        )
        for thread in (big, elsewhere)
        for n in range(1, 3001)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(Comment._meta.db_table)}")
    for sort, index in (
        ("reactions", "comment_top_by_reactions"),
        ("replies", "comment_top_by_replies"),
    ):
        top = Comment.objects.filter(thread=big, depth=0).order_by(
            f"-{'reaction_count' if sort == 'reactions' else 'reply_count'}", "-id"
        )
        assert index in top[:20].explain(), sort


def test_the_sort_control_links_work_without_js_and_keep_numbers(client):
    article = make_article()
    thread = thread_ensure(page=article)
    roots = _seed(thread, 3)
    soup = BeautifulSoup(client.get(f"{article.url}?sort=newest").content, "html.parser")
    items = soup.select("ol#comment-list > li.comment")
    assert [li["id"] for li in items] == [f"c-{r.pk}" for r in reversed(roots)]
    assert [li["value"] for li in items] == ["3", "2", "1"]
    links = {a.get_text(): a for a in soup.select("nav.comment-sort a")}
    assert links["Newest first"]["aria-current"] == "true"
    assert links["Most replies"]["href"] == f"{article.url}?sort=replies#comments"


def test_an_invalid_sort_on_the_article_is_oldest_first_not_an_error(client):
    article = make_article()
    roots = _seed(thread_ensure(page=article), 2)
    response = client.get(f"{article.url}?sort=%00<script>&after=zz")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert [li["id"] for li in soup.select("ol#comment-list > li.comment")] == [
        f"c-{r.pk}" for r in roots
    ]


def test_show_more_keeps_the_sort_with_and_without_htmx(client, settings):
    settings.COMMENTS_PAGE_SIZE = 2
    article = make_article()
    thread = thread_ensure(page=article)
    roots = _seed(thread, 5)
    soup = BeautifulSoup(client.get(f"{article.url}?sort=newest").content, "html.parser")
    more = soup.select_one("#comments-more a")
    assert more["href"] == f"{article.url}?sort=newest&after={roots[3].pk}#comments"
    second = BeautifulSoup(client.get(more["href"]).content, "html.parser")
    ids = [li["id"] for li in second.select("ol#comment-list > li.comment")]
    assert ids == [f"c-{roots[2].pk}", f"c-{roots[1].pk}"]
    fragment = BeautifulSoup(client.get(more["hx-get"], **HTMX).content, "html.parser")
    assert [li["id"] for li in fragment.select("ol > li.comment")] == ids
    assert "sort=newest" in fragment.select_one("#comments-more a")["hx-get"]
    plain = client.get(more["hx-get"])
    assert plain["Location"] == f"{article.url}?sort=newest&after={roots[3].pk}#comments"
