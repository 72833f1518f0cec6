"""Comments loaded by "Show more comments" offer what the article page offers, drawn alike."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from django.core.cache import caches
from django.urls import reverse

from core import pagecache
from discussion.models import Thread
from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from discussion.tests.readers import make_reader
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def long_thread(settings):
    """Two pages of top-level comments (a page is three here), one with replies."""
    settings.COMMENTS_PAGE_SIZE = 3
    thread = thread_ensure(page=make_article())
    roots = [make_comment(thread, f"Comment number {n}.", name=f"Reader {n}") for n in range(6)]
    for n in range(2):
        make_comment(thread, f"Reply number {n}.", parent=roots[4])
    return thread, roots


def _second_page(client, thread, roots):
    """The comments "Show more comments" brings after the first page (its link's own cursor)."""
    first = client.get(reverse("discussion:comments_more", args=[thread.pk]), **HTMX)
    more = BeautifulSoup(first.content, "html.parser").select_one("#comments-more a")
    response = client.get(more["hx-get"], **HTMX)
    assert response.status_code == 200
    return response.content.decode()


def test_more_comments_on_a_closed_thread_offer_no_reply_or_report(client, long_thread):
    thread, roots = long_thread
    Thread.objects.filter(pk=thread.pk).update(is_closed=True)

    soup = BeautifulSoup(_second_page(client, thread, roots), "html.parser")

    assert soup.select_one(f"#c-{roots[3].pk}") is not None
    assert soup.select(".comment__reply") == []
    assert soup.select(".comment__report") == []


def test_a_signed_in_readers_more_comments_drawn_from_kept_ones_are_those_drawn_afresh(
    client, long_thread
):
    thread, roots = long_thread
    ada = make_reader("Ada")
    make_comment(thread, "Ada's own comment.", user_id=ada.pk)  # on the third page
    client.force_login(ada)
    kept = caches["fragments"]._cache
    kept.clear()

    fresh = _second_page(client, thread, roots)
    # one per top-level comment drawn: the first page's three and the second's
    assert sum(".comment_block." in key for key in kept) == 6
    again = _second_page(client, thread, roots)

    def masked(html: str) -> str:
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", html)

    assert masked(again) == masked(fresh)
    assert pagecache.csrf_placeholder() not in again
    # The buttons post the page's one form (its token), which this fragment is added to.
    assert 'form="comment-actions"' in again


def _coming(html: bytes | str) -> str | None:
    """What "Show more comments" says of the comments its next page holds (data-comments)."""
    more = BeautifulSoup(html, "html.parser").select_one("#comments-more a")
    return more.get("data-comments", "") if more else None


@pytest.mark.parametrize(
    ("sort", "pages"),
    [
        ("oldest", ["3", "1"]),
        ("newest", ["3", "1"]),
        # A later page of a counted sort does not know how many came before it: none said.
        ("reactions", ["3", ""]),
    ],
)
def test_show_more_comments_says_how_many_comments_its_next_page_holds(
    client, long_thread, sort, pages
):
    # site.js holds the room they are likely to need while they come: for the one comment of a
    # short last page, about one comment's, not a whole screen.
    thread, roots = long_thread
    make_comment(thread, "The last comment.", name="Reader 6")  # seven: pages of 3, 3 and 1
    url = reverse("discussion:comments_more", args=[thread.pk])
    first = client.get(url, {"sort": sort}, **HTMX).content
    more = BeautifulSoup(first, "html.parser").select_one("#comments-more a")
    second = client.get(more["hx-get"], **HTMX).content

    assert [_coming(first), _coming(second)] == pages
    article = client.get(thread.page.url, {"sort": sort} if sort != "oldest" else {})
    assert _coming(article.content) == pages[0]
