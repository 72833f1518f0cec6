"""Social networks read Open Graph and Twitter card tags; crawlers read the canonical link."""

from __future__ import annotations

from datetime import datetime

import extruct
import pytest
from bs4 import BeautifulSoup

from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

BASE = "https://news.example"


def test_article_has_open_graph_twitter_and_canonical_tags(client, settings):
    settings.SITE_BASE_URL = BASE
    article = make_article()
    html = client.get(article.url).content.decode()
    (parsed,) = extruct.extract(html, base_url=BASE, syntaxes=["opengraph"])["opengraph"]
    og = dict(parsed["properties"])
    url = f"{BASE}{article.url}"
    assert og["og:title"] == "Talks offer hope"
    assert og["og:type"] == "article"
    assert og["og:url"] == url
    assert og["og:image"].startswith(f"{BASE}/media/") and "fill-1600x900" in og["og:image"]
    assert og["og:image:alt"] == "A blue rectangle standing in for a photo"
    for prop in ("article:published_time", "article:modified_time"):
        assert datetime.fromisoformat(og[prop]).tzinfo is not None, prop
    assert og["article:section"] == "World"
    author = article.article_authors.get().author
    assert og["article:author"] == f"{BASE}/authors/{author.slug}/"

    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("link", rel="canonical")["href"] == url
    twitter = {
        tag["name"]: tag["content"]
        for tag in soup.find_all("meta", attrs={"name": lambda n: n and n.startswith("twitter:")})
    }
    assert twitter["twitter:card"] == "summary_large_image"
    assert twitter["twitter:title"] == "Talks offer hope"
    assert twitter["twitter:image"] == og["og:image"]
    assert twitter["twitter:image:alt"] == og["og:image:alt"]


def test_an_article_without_a_lead_image_asks_for_the_small_card(client):
    # summary_large_image promises a picture: with none to give, a network drew an empty frame.
    article = make_article()
    article.hero_image = None
    article.save_revision().publish()
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")

    assert soup.find("meta", attrs={"name": "twitter:card"})["content"] == "summary"
    assert soup.find("meta", attrs={"name": "twitter:image"}) is None
    assert soup.find("meta", property="og:image") is None
