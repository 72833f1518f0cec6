"""A site whose address is an internationalised domain name (SITE_BASE_URL=http://zeitung-für-
alle.example/, as an operator would write it) hands machines valid URIs: the host in IDNA's
ASCII form and any letter outside ASCII in a path percent-encoded, in ninjs, the feeds, the
sitemaps and the article page's canonical link, social card and JSON-LD. The letters as typed
made none of them a URI (ninjs's schema says "uri", RFC 3986: ASCII only), and a feed reader or
crawler could not reach the host."""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree

import extruct
import feedparser
import pytest
from bs4 import BeautifulSoup

from core.envsettings import parse_site_base_url
from newsroom.models import ArticlePage
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

TYPED = "http://zeitung-für-alle.example/"
ASCII = "http://xn--zeitung-fr-alle-7vb.example"
# RFC 3986's URI, by its grammar: a scheme, then ASCII characters or percent-escapes only.
URI = re.compile(
    r"[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*"
)


@pytest.fixture(autouse=True)
def _typed_address(settings):
    # As start-up reads SITE_BASE_URL from the environment (broadsheet.settings; that it does
    # is core/tests/test_settings_startup.py's to show).
    settings.SITE_BASE_URL = parse_site_base_url(TYPED)


@pytest.fixture
def article() -> ArticlePage:
    """An article whose slug is German too: Wagtail takes it as typed."""
    article = make_article()
    article.slug = "über-uns"
    article.save_revision().publish()
    article.refresh_from_db()
    return article


def _address(article: ArticlePage) -> str:
    return f"{ASCII}/{article.get_parent().slug}/%C3%BCber-uns/"


def test_ninjs_uri_is_a_uri_with_the_host_in_ascii(client, article):
    data = json.loads(client.get(f"/api/v1/ninjs/articles/{article.pk}.json").content)

    assert data["uri"] == _address(article)
    assert URI.fullmatch(data["uri"])


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/"])
def test_feed_entries_link_the_article_by_a_uri_with_the_host_in_ascii(client, url, article):
    response = client.get(url)
    feed = feedparser.parse(response.content)

    (entry,) = feed.entries
    assert entry.link == _address(article)
    assert entry.id.startswith("tag:xn--zeitung-fr-alle-7vb.example,")
    assert "zeitung-für" not in response.content.decode()


def test_sitemap_locations_are_uris_with_the_host_in_ascii(client, article):
    root = ElementTree.fromstring(client.get("/sitemap.xml").content)  # noqa: S314 - ours
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [loc.text for loc in root.findall("s:url/s:loc", namespace)]

    assert f"{ASCII}/" in locations
    assert _address(article) in locations
    assert all(URI.fullmatch(location) for location in locations)


def test_article_page_canonical_link_card_and_json_ld_name_it_by_a_uri(client, article):
    html = client.get(article.url).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    og = dict(extruct.extract(html, syntaxes=["opengraph"])["opengraph"][0]["properties"])
    json_ld = extruct.extract(html, syntaxes=["json-ld"])["json-ld"]
    (news_article,) = [item for item in json_ld if item.get("@type") == "NewsArticle"]

    assert soup.find("link", rel="canonical")["href"] == _address(article)
    assert og["og:url"] == _address(article)
    assert news_article["url"] == _address(article)
    assert news_article["publisher"]["url"] == f"{ASCII}/"
