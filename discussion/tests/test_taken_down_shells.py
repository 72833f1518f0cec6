"""A comment a moderator rejects (or holds) keeps the replies under it: every other reader sees
an empty shell in its place, with its number, and the replies, links, counts and API agree.
Without a reply to show, the comment is simply not there."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from discussion.models import Comment
from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from moderation.actions import HoldComment, RejectComment
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

API = "/api/v1/threads/comments"


def _reject(comment: Comment) -> None:
    RejectComment(comment=comment, automated=True, reason_code="abuse").execute()


def _page(client: Client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def _shown(soup: BeautifulSoup) -> list[int]:
    return [int(li["id"].removeprefix("c-")) for li in soup.select("li.comment[id^=c-]")]


@pytest.fixture
def thread_with_replies():
    """Three top-level comments; the second has two published replies."""
    article = make_article()
    thread = thread_ensure(page=article)
    first = make_comment(thread, "First.", name="Ann")
    rejected = make_comment(thread, "Something nasty.", name="Nasty Name")
    replies = [
        make_comment(thread, "A reply.", name="Bo", parent=rejected),
        make_comment(thread, "Another reply.", name="Cy", parent=rejected),
    ]
    last = make_comment(thread, "Last.", name="Di")
    return article, thread, first, rejected, replies, last


def test_replies_to_a_rejected_comment_stay_under_a_removed_shell(client, thread_with_replies):
    article, _thread, first, rejected, replies, last = thread_with_replies

    _reject(rejected)
    _reject(last)  # with no replies: simply not shown

    soup = _page(client, article.url)
    assert _shown(soup) == [first.pk, rejected.pk, *(r.pk for r in replies)]
    shell = soup.select_one(f"#c-{rejected.pk}")
    assert shell["value"] == "2"  # keeps its number
    assert "This comment was removed by a moderator" in shell.article.get_text()
    # Nothing of the removed comment is read out: not its text, not its author.
    assert "nasty" not in str(shell).lower()
    assert [li["id"] for li in shell.select("ul.replies > li")] == [f"c-{r.pk}" for r in replies]


def test_the_heading_counts_the_comments_shown_beside_a_removed_shell(client, thread_with_replies):
    article, _thread, _first, rejected, _replies, _last = thread_with_replies

    _reject(rejected)

    soup = _page(client, article.url)
    readable = [
        li for li in soup.select("li.comment") if not li.select_one(".comment__body--deleted")
    ]
    assert soup.select_one(".discussion__count").get_text() == f"({len(readable)})" == "(4)"


def test_the_api_gives_a_removed_comment_as_an_empty_shell_with_its_replies(
    client, thread_with_replies
):
    article, _thread, _first, rejected, replies, _last = thread_with_replies

    _reject(rejected)

    data = client.get(API, {"article": article.pk}).json()
    shell = next(c for c in data["comments"] if c["id"] == rejected.pk)
    assert shell["deleted"] and shell["html"] == "" and shell["author_name"] is None
    assert shell["reply_count"] == 2 == len(shell["replies"])
    readable = sum(1 + len(c["replies"]) for c in data["comments"] if not c["deleted"]) + len(
        shell["replies"]
    )
    assert data["comment_count"] == readable == 4


def test_a_link_to_a_reply_of_a_removed_comment_opens_the_page_that_holds_it(
    client, thread_with_replies
):
    article, _thread, _first, rejected, replies, _last = thread_with_replies
    _reject(rejected)

    response = client.get(f"/c/{replies[0].pk}/")
    assert response.status_code == 302
    assert f"#c-{replies[0].pk}" in response["Location"]

    soup = _page(client, response["Location"].split("#")[0])
    assert soup.select_one(f"#c-{replies[0].pk}") is not None


def test_the_comments_feed_links_only_to_comments_the_page_shows(client, thread_with_replies):
    article, _thread, _first, rejected, _replies, _last = thread_with_replies
    _reject(rejected)
    feed_url = reverse("newsroom:comments_feed", kwargs={"article_id": article.pk})
    feed = ElementTree.fromstring(client.get(feed_url).content)  # noqa: S314 - our own feed
    links = [item.findtext("link") for item in feed.iter("item")]
    assert links  # the feed lists the published comments, replies included

    shown = set(_shown(_page(client, article.url)))
    for link in links:
        comment_id = int(link.rstrip("/").rsplit("/", 1)[-1])
        assert comment_id in shown


def test_a_held_comment_with_published_replies_keeps_them_under_a_shell(
    client, thread_with_replies
):
    article, _thread, _first, held, replies, _last = thread_with_replies

    HoldComment(comment=held, automated=True).execute()

    shell = _page(client, article.url).select_one(f"#c-{held.pk}")
    assert "held for a moderator's review" in shell.article.get_text()
    assert "nasty" not in str(shell).lower()
    assert [li["id"] for li in shell.select("ul.replies > li")] == [f"c-{r.pk}" for r in replies]


def test_a_rejected_reply_keeps_the_replies_under_it(client, thread_with_replies):
    article, thread, first, _parent, _replies, _last = thread_with_replies
    middle = make_comment(thread, "A nasty reply.", name="Ed", parent=first)
    below = make_comment(thread, "An answer to it.", name="Flo", parent=middle)

    _reject(middle)

    soup = _page(client, article.url)
    shell = soup.select_one(f"#c-{middle.pk}")
    assert "This comment was removed by a moderator" in shell.get_text()
    assert "nasty" not in str(shell).lower()
    answer = soup.select_one(f"#c-{below.pk}")
    assert answer is not None and "Ed" not in answer.select_one(".comment__meta").get_text()


def test_show_more_replies_under_a_removed_shell_counts_what_it_shows(
    client, settings, thread_with_replies
):
    settings.REPLIES_SHOWN = 1
    article, thread, _first, rejected, replies, _last = thread_with_replies
    _reject(rejected)

    shell = _page(client, article.url).select_one(f"#c-{rejected.pk}")
    more = shell.select_one(".replies__more a")
    assert more.get_text() == "Show 1 more reply"
    rest = _page(client, more["href"])
    assert _shown(rest) == [replies[1].pk]


def test_a_removed_comments_shell_offers_no_reply_form(client, thread_with_replies):
    article, _thread, _first, rejected, _replies, _last = thread_with_replies
    _reject(rejected)

    htmx = client.get(f"/discussion/comments/{rejected.pk}/reply/", HTTP_HX_REQUEST="true")
    page = _page(client, f"{article.url}?reply_to={rejected.pk}")

    assert htmx.status_code == 404
    assert page.select_one("#comment-form input[name=parent]") is None or not page.select_one(
        "#comment-form input[name=parent]"
    ).get("value")
    assert "Reply to" not in page.select_one("#comment-form").get_text()
