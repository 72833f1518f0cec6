"""The article page shows every part of the reference anatomy, and its cost does not grow with
the size of its thread."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import clear_script_prefix, set_script_prefix

from discussion.services import comment_set_featured, thread_ensure
from discussion.tests.factories import make_comment
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def _soup(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_article_page_has_the_reference_anatomy(client):
    article = make_article()
    thread = thread_ensure(page=article)
    for body in ("First", "Second", "Third"):
        make_comment(thread, body)
    soup = _soup(client.get(article.url))

    assert [h1.get_text(strip=True) for h1 in soup.find_all("h1")] == ["Talks offer hope"]
    assert soup.select_one(".article__standfirst").get_text(strip=True).startswith("A one-sentence")
    figures = soup.find_all("figure")
    assert len(figures) == 2
    for figure in figures:
        assert figure.img["alt"]
        assert "CREDIT:" in figure.figcaption.get_text()
        assert figure.img["alt"] not in figure.figcaption.get_text()
    assert "Ann Writer" in soup.select_one(".byline").get_text()
    assert soup.select_one(".dateline time[datetime]")
    assert "three hours" in soup.select_one(".article__body").get_text()
    assert soup.select_one(".pull-quote")["aria-hidden"] == "true"
    assert soup.select_one("blockquote.block-quote")
    comments = soup.select("ol#comment-list > li.comment")
    assert [li["value"] for li in comments] == ["1", "2", "3"]
    assert all(li.select_one("time[datetime]") for li in comments)
    label = soup.find("label", string="Enter comments here:")
    assert label is not None and soup.find(id=label["for"]).name == "textarea"


def test_a_site_served_under_a_path_prefix_links_within_it(client):
    """Behind a proxy at /news/, the masthead's home link, the featured strip's links and a
    comment's time link stay under /news/ rather than leading to the proxy's other sites."""
    article = make_article()
    path = article.url
    comment = make_comment(thread_ensure(page=article), "Chosen words")
    comment_set_featured(comment=comment, featured=True)

    # What Django's WSGI handler does with a request's SCRIPT_NAME (the test client does not).
    set_script_prefix("/news/")
    try:
        soup = _soup(client.get(path, SCRIPT_NAME="/news"))
    finally:
        clear_script_prefix()

    assert soup.select_one("a.masthead__name")["href"] == "/news/"
    assert [a["href"] for a in soup.select("section.featured-comments li a")] == [
        f"/news/c/{comment.pk}/"
    ]
    assert soup.select_one(f"#c-{comment.pk} a.comment__time")["href"] == f"/news/c/{comment.pk}/"


def test_a_site_served_under_a_path_prefix_loads_its_files_within_it(client):
    """Behind a proxy that passes only /news/ to the site, the page's stylesheet, scripts and
    lead image are asked for under /news/, or the page shows unstyled and without its photo."""
    article = make_article()
    path = article.url

    # What Django's WSGI handler does with a request's SCRIPT_NAME (the test client does not).
    set_script_prefix("/news/")
    try:
        soup = _soup(client.get(path, SCRIPT_NAME="/news"))
    finally:
        clear_script_prefix()

    assert soup.select_one('link[rel="stylesheet"]')["href"].startswith("/news/static/")
    assert [s["src"] for s in soup.select("script[src]") if not s["src"].startswith("/news/")] == []
    assert soup.select_one("article img")["src"].startswith("/news/media/")


def test_replies_sit_under_their_parent_with_a_reply_control(client):
    article = make_article()
    thread = thread_ensure(page=article)
    parent = make_comment(thread, "Parent comment")
    make_comment(thread, "A reply", parent=parent)
    soup = _soup(client.get(article.url))
    parent_li = soup.find(id=f"c-{parent.pk}")
    assert "A reply" in parent_li.select_one("ul.replies").get_text()
    reply_link = parent_li.select_one("a.comment__reply")
    assert reply_link["href"].endswith(f"?reply_to={parent.pk}#comment-form")


def test_the_first_fifty_top_level_comments_then_show_more(client, settings):
    settings.COMMENTS_PAGE_SIZE = 5
    article = make_article()
    thread = thread_ensure(page=article)
    made = [make_comment(thread, f"Comment {n}") for n in range(7)]
    soup = _soup(client.get(article.url))
    assert len(soup.select("ol#comment-list > li")) == 5
    more = soup.select_one("#comments-more a")
    assert more.get_text(strip=True) == "Show more comments"
    assert f"after={made[4].pk}" in more["href"]

    second = _soup(client.get(more["href"].split("#")[0]))
    numbers = [li["value"] for li in second.select("ol#comment-list > li")]
    assert numbers == ["6", "7"]
    assert second.select_one("#comments-more") is None


def test_a_later_page_of_comments_is_titled_as_such_not_as_the_first(client, settings):
    # Without JavaScript "Show more comments" opens another page: a screen reader's list of
    # open pages, and the browser's history, told it from the first by its title (WCAG 2.4.2).
    settings.COMMENTS_PAGE_SIZE = 3
    article = make_article(title="Talks in Istanbul")
    thread = thread_ensure(page=article)
    for n in range(7):
        make_comment(thread, f"Comment {n}")
    first = _soup(client.get(article.url))
    assert first.title.get_text().startswith("Talks in Istanbul — ")
    more = first.select_one("#comments-more a")["href"].split("#")[0]
    assert _soup(client.get(more)).title.get_text().startswith("Comments 4–6 — Talks in Istanbul")
    newest = _soup(client.get(f"{article.url}?sort=newest")).select_one("#comments-more a")
    later = _soup(client.get(newest["href"].split("#")[0])).title.get_text()
    assert later.startswith("More comments, newest first — Talks in Istanbul")


def test_a_closed_thread_says_so_and_shows_no_form(client):
    article = make_article()
    thread = thread_ensure(page=article)
    make_comment(thread, "Before closing")
    thread.is_closed = True
    thread.save()
    soup = _soup(client.get(article.url))
    assert "This discussion is closed" in soup.select_one("#comments").get_text()
    assert soup.find("textarea") is None
    assert soup.select_one("a.comment__reply") is None


def test_an_article_shows_where_it_was_reported_from_beside_its_byline(client):
    article = make_article(located="Istanbul")

    soup = _soup(client.get(article.url))

    located = soup.select_one(".article__byline .located")
    assert located.get_text(strip=True) == "Reported from Istanbul"


def test_an_article_without_a_dateline_shows_no_empty_one(client):
    article = make_article(located="")

    soup = _soup(client.get(article.url))

    assert soup.select_one(".located") is None
    assert "Reported from" not in soup.get_text()


def _article_queries(client, url) -> int:
    client.get(url)  # warm Wagtail's per-site caches, as any running server has them
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_article_page_query_count_is_pinned_and_independent_of_thread_size(client):
    small = make_article(title="Small thread")
    small_thread = thread_ensure(page=small)
    for n in range(3):
        make_comment(small_thread, f"c{n}")

    big = make_article(title="Big thread")
    big_thread = thread_ensure(page=big)
    roots = []
    # 200 top-level comments (four pages of 50) and 100 replies: as many queries as for 3. (It
    # made 2,000, each through comment_create: 15 s of a CI half on PostgreSQL, for the same
    # shape of thread.)
    for n in range(300):
        parent = roots[n % len(roots)] if roots and n % 3 == 0 else None
        comment = make_comment(big_thread, f"c{n}", parent=parent)
        if parent is None:
            roots.append(comment)

    small_count = _article_queries(client, small.url)
    assert small_count == _article_queries(client, big.url)
    # 14 before corrections and JSON-LD crops (issue 6); 16 with the featured strip (issue 4);
    # 14 since routing reads the article and its section in one query (newsroom.routing); 12
    # since the site comes from a cached list and the home page is no longer loaded to route;
    # 10 since routing also reads whether a view restriction can apply (core.privacy); 9 since
    # the page of comments and their first replies is one query (discussion.selectors); still 9
    # with the header's sections and the footer's standards links, which are kept in the cache
    # under the site token (newsroom.selectors.site_navigation: two queries when it changes); 6
    # since each app process keeps the pages it routed under the site token (newsroom.routing)
    assert small_count == 6
