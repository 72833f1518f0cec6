"""A link to one comment (``/c/<id>/`` or ``?c=<id>#c-<id>``) opens the page that holds it, with
the comment shown and marked, even a reply nested deep behind "Show more replies"."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from discussion.models import Comment
from discussion.selectors import THROUGH_SHOWN
from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def _focused(soup) -> list[str]:
    return [li["id"] for li in soup.select("li.comment--focus")]


def test_a_nested_reply_behind_show_more_under_a_later_comment_opens_its_page(client, settings):
    settings.COMMENTS_PAGE_SIZE = 5
    settings.REPLIES_SHOWN = 3
    article = make_article()
    thread = thread_ensure(page=article)
    roots = [make_comment(thread, f"Comment {n}.") for n in range(12)]
    root = roots[8]  # on the second page
    first = make_comment(thread, "First reply.", parent=root)
    for n in range(4):
        make_comment(thread, f"Reply {n}.", parent=root)
    deep = make_comment(thread, "Deep reply.", parent=make_comment(thread, "Nested.", parent=first))

    redirect = client.get(f"/c/{deep.pk}/")
    page = client.get(redirect["Location"].split("#")[0])

    assert redirect["Location"] == f"{article.url}?c={deep.pk}#c-{deep.pk}"
    soup = BeautifulSoup(page.content, "html.parser")
    tops = [li["id"] for li in soup.select("ol#comment-list > li.comment")]
    assert tops[0] == f"c-{root.pk}"  # the page starts at the linked reply's comment
    assert soup.select_one(f"#replies-{root.pk} #c-{deep.pk}") is not None
    assert _focused(soup) == [f"c-{deep.pk}"]
    assert soup.find("a", string="Show the first comments") is not None


def test_a_reply_far_down_a_huge_sub_thread_is_still_shown(client, settings):
    settings.REPLIES_SHOWN = 3
    article = make_article()
    thread = thread_ensure(page=article)
    root = make_comment(thread, "The argument of the day.")
    for n in range(THROUGH_SHOWN + 10):
        make_comment(thread, f"Reply {n}.", parent=root)
    last = Comment.objects.filter(root=root).order_by("-path").first()

    soup = BeautifulSoup(client.get(article.url, {"c": last.pk}).content, "html.parser")

    assert _focused(soup) == [f"c-{last.pk}"]
    replies = soup.select(f"#replies-{root.pk} > li.comment")
    assert len(replies) == 3 + THROUGH_SHOWN  # the first few, then those just before the link


def test_a_comment_number_in_digits_int_cannot_read_opens_the_article_as_usual(client):
    # "²" is a digit to str.isdigit() but not a number to int(): the article page was a 500,
    # and so was the live "new comments" fragment given it among its ids.
    article = make_article()
    thread = thread_ensure(page=article)
    comment = make_comment(thread, "A comment.")
    for params in ({"c": "²"}, {"reply_to": "²"}, {"c": "①"}):
        response = client.get(article.url, params)
        assert response.status_code == 200, params
        assert f'id="c-{comment.pk}"' in response.content.decode()
    fragment = client.get(
        f"/discussion/threads/{thread.pk}/comments/new/", {"ids": f"²,{comment.pk}"}
    )
    assert fragment.status_code == 200
    assert f'id="c-{comment.pk}"' in fragment.content.decode()
