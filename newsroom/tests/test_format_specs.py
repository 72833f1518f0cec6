"""Every feed and sitemap read with a strict XML parser, as a crawler or an aggregator that does
not forgive would read it, against what its specification requires (docs/formats.md): a headline
and a byline full of XML's own characters arrive as typed, in a document that parses."""

from __future__ import annotations

from datetime import datetime
from email.utils import parsedate_to_datetime
from xml.etree import ElementTree

import pytest

from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

BASE = "https://news.example"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "n": "http://www.google.com/schemas/sitemap-news/0.9",
}
HEADLINE = 'Spies & "diplomats" <expelled> ]]> — café'
BYLINE = "O'Brien & <Sons> ]]>"


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.SITE_BASE_URL = BASE


@pytest.fixture
def article():
    article = make_article(title=HEADLINE)
    author = article.article_authors.get().author
    author.name = BYLINE
    author.save()
    make_comment(thread_ensure(page=article), "A <b>fair</b> & square point ]]>", name=BYLINE)
    return article


def _strict(client, url: str) -> ElementTree.Element:
    response = client.get(url)
    assert response.status_code == 200, url
    return ElementTree.fromstring(response.content)  # noqa: S314 - our own response


def _feeds(article) -> dict[str, list[str]]:
    section = article.get_parent().slug
    author = article.article_authors.get().author.slug
    return {
        "rss": ["/feeds/rss/", f"/feeds/rss/section/{section}/", f"/feeds/rss/author/{author}/"],
        "atom": [
            "/feeds/atom/",
            f"/feeds/atom/section/{section}/",
            f"/feeds/atom/author/{author}/",
        ],
    }


def test_each_rss_feed_has_what_rss_2_requires_and_the_headline_as_typed(client, article):
    for url in [*_feeds(article)["rss"], f"/feeds/comments/{article.pk}/"]:
        channel = _strict(client, url).find("channel")
        for required in ("title", "link", "description"):
            assert len(channel.findall(required)) == 1 and channel.findtext(required), url
        (me,) = [link for link in channel.findall(f"{ATOM}link") if link.get("rel") == "self"]
        assert me.get("href") == BASE + url
        (item,) = channel.findall("item")
        assert item.findtext("guid") and item.findtext("link").startswith(BASE)
        parsedate_to_datetime(item.findtext("pubDate"))  # RFC 822, or this raises
        if "comments" in url:
            assert item.findtext("title") == f"Comment by {BYLINE}"
            assert (
                item.findtext("description")
                == "<p>A &lt;b&gt;fair&lt;/b&gt; &amp; square point ]]&gt;</p>"
            )
        else:
            assert item.findtext("title") == HEADLINE
            assert item.findtext("{http://purl.org/dc/elements/1.1/}creator") == BYLINE


def test_each_atom_feed_has_what_rfc_4287_requires_and_the_headline_as_typed(client, article):
    for url in _feeds(article)["atom"]:
        feed = _strict(client, url)
        for required in ("id", "title", "updated"):
            assert len(feed.findall(f"{ATOM}{required}")) == 1, (url, required)
        datetime.fromisoformat(feed.findtext(f"{ATOM}updated"))
        (me,) = [link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self"]
        assert me.get("href") == BASE + url
        (entry,) = feed.findall(f"{ATOM}entry")
        for required in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{required}")) == 1, (url, required)
        assert entry.findtext(f"{ATOM}id").startswith("tag:news.example,")
        published = datetime.fromisoformat(entry.findtext(f"{ATOM}published"))
        assert published <= datetime.fromisoformat(entry.findtext(f"{ATOM}updated"))
        alternates = [
            link for link in entry.findall(f"{ATOM}link") if link.get("rel") == "alternate"
        ]
        assert [link.get("href") for link in alternates] == [BASE + article.url]
        assert entry.findtext(f"{ATOM}title") == HEADLINE
        assert [a.findtext(f"{ATOM}name") for a in entry.findall(f"{ATOM}author")] == [BYLINE]


def test_both_sitemaps_have_what_their_specifications_require(client, article):
    for url in ("/sitemap.xml", "/sitemap-news.xml"):
        root = _strict(client, url)
        assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
        for entry in root.findall("s:url", SITEMAP):
            (location,) = entry.findall("s:loc", SITEMAP)
            assert location.text.startswith(BASE + "/") and len(location.text) < 2048
            if (modified := entry.findtext("s:lastmod", namespaces=SITEMAP)) is not None:
                datetime.fromisoformat(modified)  # W3C Datetime, or this raises
    news = _strict(client, "/sitemap-news.xml").find("s:url/n:news", SITEMAP)
    assert news.findtext("n:publication/n:name", namespaces=SITEMAP)
    assert news.findtext("n:publication/n:language", namespaces=SITEMAP) == "en"
    datetime.fromisoformat(news.findtext("n:publication_date", namespaces=SITEMAP))
    assert news.findtext("n:title", namespaces=SITEMAP) == HEADLINE
