"""/embed/articles/<id>/: an article's discussion in another site's frame (api.embed)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from wagtail.models import PageViewRestriction

from core.csp import SITE_POLICY
from discussion.models import Comment
from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from newsroom.models import ArticlePage
from newsroom.tests.factories import make_article
from newsroom.tests.test_page_cache import asgi

pytestmark = pytest.mark.django_db


def _framed_by(policy: str) -> str:
    """The embed's frame-ancestors, after checking that the rest is the site's own policy
    (core.csp): the embed changes which sites may frame it, and nothing else."""
    directives = dict(part.strip().partition(" ")[::2] for part in policy.split(";"))
    assert {name: value for name, value in directives.items() if name != "frame-ancestors"} == {
        name: value for name, value in SITE_POLICY.items() if name != "frame-ancestors"
    }
    assert policy.count("frame-ancestors") == 1
    return directives["frame-ancestors"]


def _embed(client, article, **params):
    response = client.get(f"/embed/articles/{article.pk}/", params)
    assert response.status_code == 200
    return response, BeautifulSoup(response.content, "html.parser")


def _thread(replies: int = 0):
    article = make_article()
    thread = thread_ensure(page=article)
    first = make_comment(thread, "The first comment.", name="Olena")
    for n in range(replies):
        make_comment(thread, f"Reply {n}.", name="Petro", parent=first)
    make_comment(thread, "The latest comment.", name="Iryna")
    return article, thread


def test_the_embed_shows_the_newest_comments_first_with_their_replies(client):
    article, _thread_ = _thread(replies=1)

    _response, soup = _embed(client, article)

    bodies = [
        li.select_one(".comment__body").get_text(strip=True) for li in soup.select("li.comment")
    ]
    assert bodies == ["The latest comment.", "The first comment.", "Reply 0."]
    assert (
        soup.select_one("h2").get_text(" ", strip=True).startswith(f"Comments on {article.title}")
    )


def test_any_site_may_frame_it_and_it_has_nothing_to_click_that_acts(client):
    article, _thread_ = _thread(replies=1)

    response, soup = _embed(client, article)

    assert _framed_by(response["Content-Security-Policy"]) == "*"
    assert "X-Frame-Options" not in response
    assert soup.select("form") == [] and soup.select("button.reaction__button") == []
    assert soup.select(".comment__reply, .comment__report, .comment__own") == []
    join = soup.select_one(".embed__join a")
    assert join["href"] == f"{article.url}#comment-form"
    assert soup.select_one("base")["target"] == "_blank"


def test_a_head_request_gets_the_embeds_headers_without_its_body(client):
    article, _thread_ = _thread()

    response = client.head(f"/embed/articles/{article.pk}/")

    assert response.status_code == 200
    assert _framed_by(response["Content-Security-Policy"]) == "*"
    assert response.content == b""


def test_the_sites_it_may_be_framed_by_are_a_setting(client, settings):
    settings.EMBED_FRAME_ANCESTORS = "https://partner.example"
    article, _thread_ = _thread()

    response, _soup = _embed(client, article)

    assert _framed_by(response["Content-Security-Policy"]) == "https://partner.example"


def test_its_pages_and_orders_stay_in_the_frame(client, settings):
    settings.COMMENTS_PAGE_SIZE = 1
    article, _thread_ = _thread()

    _response, soup = _embed(client, article, sort="oldest")
    more = soup.select_one("#comments-more a")
    _next, next_soup = _embed(
        client,
        article,
        **dict(p.split("=") for p in more["href"].split("?")[1].split("#")[0].split("&")),
    )

    assert more["target"] == "_self"
    assert all(a["target"] == "_self" for a in soup.select(".comment-sort a"))
    assert [
        li.select_one(".comment__body").get_text(strip=True)
        for li in next_soup.select("li.comment")
    ] == ["The latest comment."]


def test_an_anonymous_readers_embed_comes_from_the_cache_until_a_comment_changes_it(
    django_capture_on_commit_callbacks,
):
    article, thread = _thread()
    url = f"/embed/articles/{article.pk}/"

    asgi("GET", url)
    cached = asgi("GET", url)
    with django_capture_on_commit_callbacks(execute=True):
        make_comment(thread, "A newer comment.", name="Oksana")
    after = asgi("GET", url)

    assert cached.header("x-cache") == "hit"
    assert _framed_by(cached.header("content-security-policy")) == "*"
    assert after.header("x-cache") == "miss" and "A newer comment." in after.body


@pytest.mark.parametrize("change", ["unpublished", "no such article"])
def test_an_article_that_is_not_published_has_no_embed(client, change):
    article, _thread_ = _thread()
    if change == "unpublished":
        ArticlePage.objects.filter(pk=article.pk).update(live=False)
        target = article.pk
    else:
        target = article.pk + 1000

    assert client.get(f"/embed/articles/{target}/").status_code == 404


@pytest.mark.parametrize(
    "which",
    ["no such article", "members only", "a 19-digit id", "a 30-digit id", "not a number"],
)
def test_an_embed_of_no_public_article_is_one_frameable_line_saying_so(client, which):
    # Ids too long for a database id, or not numbers at all, got the site's 404 page, which
    # refuses every frame: the partner's page showed the browser's broken-frame box.
    article, _thread_ = _thread()
    target = {
        "no such article": article.pk + 1000,
        "members only": article.pk,
        "a 19-digit id": "1234567890123456789",
        "a 30-digit id": "9" * 30,
        "not a number": "six",
    }[which]
    if which == "members only":
        PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)

    response = client.get(f"/embed/articles/{target}/")

    soup = BeautifulSoup(response.content, "html.parser")
    assert response.status_code == 404
    assert _framed_by(response["Content-Security-Policy"]) == "*"
    assert "X-Frame-Options" not in response
    assert soup.select_one('meta[name="robots"]')["content"] == "noindex"
    assert soup.main.get_text(strip=True) == "Comments are not available."
    assert soup.body.has_attr("data-embed")  # site.js posts its height to the holder
    assert article.title not in response.content.decode()


def test_an_article_nobody_has_commented_on_says_so(client):
    article = make_article()

    _response, soup = _embed(client, article)

    assert soup.select_one(".discussion__empty").get_text(strip=True) == "No comments yet."


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_a_form_posted_into_the_embed_says_in_the_frame_that_nothing_was_posted(method):
    # A POST got the CSRF check's 403 (a PUT require_safe's bare 405), each refusing every
    # frame: the partner's page showed the browser's broken-frame box.
    article, thread = _thread()
    browser = Client(enforce_csrf_checks=True)

    response = getattr(browser, method)(
        f"/embed/articles/{article.pk}/",
        "body=Posted+from+the+frame",
        content_type="application/x-www-form-urlencoded",
    )

    soup = BeautifulSoup(response.content, "html.parser")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert _framed_by(response["Content-Security-Policy"]) == "*"
    assert "X-Frame-Options" not in response
    assert soup.main.p.get_text(strip=True) == (
        "Nothing was posted: comments are written on the article itself."
    )
    assert soup.main.a["href"] == f"{article.url}#comment-form"
    assert soup.body.has_attr("data-embed")
    assert Comment.objects.filter(thread=thread).count() == 2


@pytest.mark.parametrize("target", ["no such article", "not a number"])
def test_a_form_posted_to_the_embed_of_no_public_article_gets_its_frameable_line(target):
    article, _thread_ = _thread()
    address = {"no such article": article.pk + 1000, "not a number": "six"}[target]

    response = Client(enforce_csrf_checks=True).post(f"/embed/articles/{address}/", {"a": "b"})

    soup = BeautifulSoup(response.content, "html.parser")
    assert response.status_code == 404
    assert _framed_by(response["Content-Security-Policy"]) == "*"
    assert "X-Frame-Options" not in response
    assert soup.main.get_text(strip=True) == "Comments are not available."
