"""Every "Show N more replies" and "Show N earlier replies" states how many replies are still not
shown, however many times it has been pressed; the last page of replies has no control.

The count is the one the article page's first control uses: the replies the root's
``reply_count`` counts (published ones, and a deleted one kept for its replies) for "more", and
every reply the reader may see for a gap a link's page left out.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from discussion import selectors
from discussion.models import Comment
from discussion.services import comment_set_status, thread_ensure
from discussion.tests.factories import make_comment
from discussion.tests.readers import make_reader
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _small_pages(settings):
    settings.REPLIES_SHOWN = 3
    settings.REPLIES_PAGE_SIZE = 5


@pytest.fixture
def article():
    return make_article()


def _sub_thread(article, count: int) -> tuple[Comment, list[Comment]]:
    """A comment with ``count`` replies, through ``comment_create``, and the replies in order."""
    thread = thread_ensure(page=article)
    root = make_comment(thread, "The argument of the day.")
    return root, [make_comment(thread, f"Reply number {n}.", parent=root) for n in range(count)]


def _soup(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def _more(soup: BeautifulSoup, root: Comment):
    return soup.select_one(f"#replies-more-{root.pk} a")


def _texts_pressing_more(client, article, root: Comment, *, htmx: bool) -> list[str | None]:
    """The control's words on the article page, then after each press, until it is gone."""
    control = _more(_soup(client.get(article.url)), root)
    texts = [control.get_text()]
    while control is not None:
        extra = HTMX if htmx else {}
        control = _more(_soup(client.get(control["hx-get" if htmx else "href"], **extra)), root)
        texts.append(control.get_text() if control is not None else None)
    return texts


def test_with_htmx_each_show_more_replies_states_how_many_are_left_and_the_last_has_none(
    client, article
):
    root, _replies = _sub_thread(article, 15)  # 3 on the page, then pages of 5

    texts = _texts_pressing_more(client, article, root, htmx=True)

    assert texts == ["Show 12 more replies", "Show 7 more replies", "Show 2 more replies", None]


def test_without_javascript_each_page_of_replies_states_how_many_are_left(client, article):
    root, _replies = _sub_thread(article, 15)

    texts = _texts_pressing_more(client, article, root, htmx=False)

    assert texts == ["Show 12 more replies", "Show 7 more replies", "Show 2 more replies", None]


def test_a_reply_held_for_review_further_down_is_not_counted(client, article):
    root, replies = _sub_thread(article, 15)
    comment_set_status(comment=replies[12], status=Comment.Status.PENDING)

    texts = _texts_pressing_more(client, article, root, htmx=True)

    assert texts == ["Show 11 more replies", "Show 6 more replies", "Show 1 more reply", None]


def test_a_readers_own_held_reply_among_the_first_does_not_lower_the_count(client, article):
    """It is shown to them, but it is not one of the published replies the count is made of."""
    ada = make_reader("Ada")
    thread = thread_ensure(page=article)
    root = make_comment(thread, "The argument of the day.")
    make_comment(thread, "Reply number 0.", parent=root)
    own = make_comment(thread, "Reply number 1.", parent=root, user_id=ada.pk)
    comment_set_status(comment=own, status=Comment.Status.PENDING)
    for n in range(2, 7):
        make_comment(thread, f"Reply number {n}.", parent=root)
    client.force_login(ada)

    page = _soup(client.get(article.url))

    assert page.select_one(f"#c-{own.pk}") is not None  # among the three shown first
    assert _more(page, root).get_text() == "Show 4 more replies"


def test_each_step_through_a_gap_states_how_many_earlier_replies_are_left(
    client, article, monkeypatch
):
    monkeypatch.setattr(selectors, "THROUGH_SHOWN", 4)
    root, replies = _sub_thread(article, 20)  # 3 first, 13 left out, the 4 up to the link
    gap = _soup(client.get(article.url, {"c": replies[-1].pk})).select_one(
        f"#replies-gap-{root.pk} a"
    )

    texts = [gap.get_text()]
    while gap is not None:
        gap = _soup(client.get(gap["hx-get"], **HTMX)).select_one(f"#replies-gap-{root.pk} a")
        texts.append(gap.get_text() if gap is not None else None)

    assert texts == [
        "Show 13 earlier replies",
        "Show 8 earlier replies",
        "Show 3 earlier replies",
        None,
    ]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="query plans are checked on SQLite")
def test_the_replies_left_are_counted_from_the_replies_index(article):
    root, replies = _sub_thread(article, 15)

    with CaptureQueriesContext(connection) as queries:
        page = selectors.replies_page(root=root, after_path=replies[2].path, limit=5)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + queries.captured_queries[-1]["sql"])
        plan = " | ".join(row[-1] for row in cursor.fetchall())

    assert page.remaining == 7
    assert "USING INDEX comment_replies (root_id=? AND path>?)" in plan, plan


def test_a_reply_the_page_already_shows_is_neither_counted_nor_brought_as_new(client, article):
    """A reply posted under the list sits at its end (site.js sends its id as ``shown``): each
    "Show N more replies" then says how many replies pressing it brings, and brings that many."""
    root, _replies = _sub_thread(article, 15)
    control = _more(_soup(client.get(article.url)), root)  # "Show 12 more replies"
    mine = make_comment(root.thread, "My reply, at the end of the list.", parent=root)

    said, arrived = [control.get_text()], []
    while control is not None:
        answer = _soup(client.get(f"{control['hx-get']}&shown={mine.pk}", **HTMX))
        new = [li["id"] for li in answer.select("li.comment") if li["id"] != f"c-{mine.pk}"]
        arrived.append(len(new))
        assert (
            answer.select_one("#discussion-status").get_text() == f"{len(new)} more replies shown."
        )
        control = _more(answer, root)
        said.append(control.get_text() if control is not None else None)

    assert said == ["Show 12 more replies", "Show 7 more replies", "Show 2 more replies", None]
    assert arrived == [5, 5, 2]
