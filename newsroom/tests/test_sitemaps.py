"""The standard sitemap, the Google News sitemap (last two days only) and robots.txt."""

from __future__ import annotations

from datetime import datetime, timedelta
from xml.etree import ElementTree

import pytest
from django.urls import clear_script_prefix, set_script_prefix
from django.utils import timezone

from newsroom.models import ArticlePage, Correction
from newsroom.sitemaps import NewsSitemap, PageSitemap
from newsroom.tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

BASE = "https://news.example"
NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "n": "http://www.google.com/schemas/sitemap-news/0.9",
}


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.SITE_BASE_URL = BASE


def _xml(client, url: str) -> ElementTree.Element:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ElementTree.fromstring(response.content)  # noqa: S314 - our own response


def _published_ago(article: ArticlePage, age: timedelta) -> None:
    moment = timezone.now() - age
    ArticlePage.objects.filter(pk=article.pk).update(
        first_published_at=moment, last_published_at=moment
    )


def test_sitemap_lists_every_live_page_with_absolute_urls(client):
    article = make_article()
    root = _xml(client, "/sitemap.xml")
    locations = [loc.text for loc in root.findall("s:url/s:loc", NS)]
    assert f"{BASE}/" in locations
    assert f"{BASE}{article.get_parent().url}" in locations
    assert f"{BASE}{article.url}" in locations
    (entry,) = [url for url in root.findall("s:url", NS) if url[0].text == f"{BASE}{article.url}"]
    assert entry.find("s:lastmod", NS) is not None


@pytest.mark.usefixtures("without_the_default_section")
def test_a_site_with_more_pages_than_one_sitemap_holds_lists_them_all_through_an_index(
    client, monkeypatch
):
    # One sitemap file lists at most PageSitemap.limit pages; the pages past it (the newest,
    # by tree order) were in no sitemap at all.
    monkeypatch.setattr(PageSitemap, "limit", 2)
    section = make_section()
    articles = [make_article(section=section, title=f"Story {n}") for n in range(3)]

    index = _xml(client, "/sitemap.xml")

    assert index.tag == f"{{{NS['s']}}}sitemapindex"
    parts = [loc.text for loc in index.findall("s:sitemap/s:loc", NS)]
    assert parts == [f"{BASE}/sitemap.xml?p={n}" for n in (1, 2, 3)]
    listed = [
        loc.text
        for part in parts
        for loc in _xml(client, part.removeprefix(BASE)).findall("s:url/s:loc", NS)
    ]
    pages = [f"{BASE}/", f"{BASE}{section.url}", *(f"{BASE}{a.url}" for a in articles)]
    assert sorted(listed) == sorted(pages)


@pytest.mark.parametrize("part", ["0", "4", "-1", "abc", "1" * 30, "2&p=3"])
def test_a_sitemap_part_that_does_not_exist_is_404(client, monkeypatch, part):
    monkeypatch.setattr(PageSitemap, "limit", 2)
    section = make_section()
    for n in range(3):
        make_article(section=section, title=f"Story {n}")

    assert client.get(f"/sitemap.xml?p={part}").status_code == 404


def test_news_sitemap_lists_only_articles_from_the_last_two_days(client):
    fresh = make_article(title="Fresh & new")
    yesterday = make_article(title="From yesterday")
    old = make_article(title="Three days old")
    _published_ago(yesterday, timedelta(hours=30))
    _published_ago(old, timedelta(days=2, minutes=1))

    root = _xml(client, "/sitemap-news.xml")
    urls = root.findall("s:url", NS)
    locations = [url.find("s:loc", NS).text for url in urls]
    assert locations == [f"{BASE}{fresh.url}", f"{BASE}{yesterday.url}"]
    assert f"{BASE}{old.url}" not in locations
    news = urls[0].find("n:news", NS)
    assert news.find("n:publication/n:name", NS).text
    assert news.find("n:publication/n:language", NS).text == "en"
    assert news.find("n:title", NS).text == "Fresh & new"
    published = news.find("n:publication_date", NS).text
    assert (
        published
        == timezone.localtime(ArticlePage.objects.get(pk=fresh.pk).first_published_at).isoformat()
    )


def test_a_headline_with_a_control_character_leaves_the_news_sitemap_readable_xml(client):
    # XML 1.0 holds no vertical tab (Word's line break, pasted): with one in a headline the
    # whole sitemap failed to parse, and a crawler read none of its articles.
    make_article(title="Talks\x0bresume\x1b in Istanbul")

    root = _xml(client, "/sitemap-news.xml")

    assert root.find("s:url/n:news/n:title", NS).text == "Talks resume in Istanbul"


def test_robots_txt_points_to_both_sitemaps(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    text = response.content.decode()
    assert f"Sitemap: {BASE}/sitemap.xml" in text
    assert f"Sitemap: {BASE}/sitemap-news.xml" in text


@pytest.mark.parametrize("url", ["/sitemap.xml", "/sitemap-news.xml", "/robots.txt"])
def test_crawlers_and_monitors_may_ask_with_head(client, url):
    make_article()
    expected_type = client.get(url)["Content-Type"]

    response = client.head(url)

    assert response.status_code == 200
    assert response["Content-Type"] == expected_type
    assert response.content == b""


def test_a_correction_dated_after_publishing_is_the_lastmod_crawlers_are_told(client):
    # Its JSON-LD's dateModified already said so; the sitemaps said the last publishing.
    article = make_article()
    corrected_at = (timezone.now() + timedelta(hours=1)).replace(microsecond=0)
    article.corrections.add(Correction(corrected_at=corrected_at, text="The toll was 12, not 21."))
    article.save_revision().publish()

    root = _xml(client, "/sitemap.xml")

    (entry,) = [u for u in root.findall("s:url", NS) if u[0].text == f"{BASE}{article.url}"]
    assert datetime.fromisoformat(entry.find("s:lastmod", NS).text) == corrected_at


def _locations_served_under(client, url: str, prefix: str) -> list[str]:
    # What Django's WSGI handler does with a request's SCRIPT_NAME (the test client does not).
    set_script_prefix(f"{prefix}/")
    try:
        root = _xml(client, url)
    finally:
        clear_script_prefix()
    return [loc.text for loc in root.findall("s:url/s:loc", NS)]


def test_a_sitemap_built_outside_a_request_names_its_pages_under_the_path_prefix(client, settings):
    """SITE_BASE_URL ends in the prefix (docs/deploy.md, "Under a path prefix"). Built by a
    command or a task, where Wagtail's page.url has no prefix, the sitemap names the addresses
    the site serves under /news/, as the one a crawler fetches from /news/sitemap.xml does."""
    settings.SITE_BASE_URL = f"{BASE}/news"
    article = make_article()
    path = article.url  # outside a request: without the prefix

    built = [url["location"] for url in PageSitemap().get_urls()]

    assert f"{BASE}/news/" in built
    assert f"{BASE}/news{path}" in built
    assert built == _locations_served_under(client, "/sitemap.xml", "/news")


def test_a_news_sitemap_built_outside_a_request_names_its_articles_under_the_path_prefix(
    client, settings
):
    settings.SITE_BASE_URL = f"{BASE}/news"
    article = make_article()
    path = article.url

    built = [url["location"] for url in NewsSitemap().get_urls()]

    assert built == [f"{BASE}/news{path}"]
    assert built == _locations_served_under(client, "/sitemap-news.xml", "/news")
