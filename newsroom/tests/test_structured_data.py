"""Search engines read one NewsArticle per article and the publication's NewsMediaOrganization,
parsed here with extruct, a real JSON-LD extractor, exactly as a crawler would meet the page."""

from __future__ import annotations

from datetime import datetime, timedelta

import extruct
import pytest
from django.urls import clear_script_prefix, set_script_prefix
from django.utils import timezone

from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from newsroom.images import NewsImage
from newsroom.models import ArticleAuthor, Correction, PolicyPage
from newsroom.tests.factories import make_article, make_home

pytestmark = pytest.mark.django_db

BASE = "https://news.example"


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.SITE_BASE_URL = BASE


def _json_ld(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200
    return extruct.extract(response.content.decode(), base_url=BASE, syntaxes=["json-ld"])[
        "json-ld"
    ]


def _news_article(client, url: str) -> dict:
    items = [item for item in _json_ld(client, url) if item.get("@type") == "NewsArticle"]
    assert len(items) == 1, "exactly one NewsArticle per article page"
    return items[0]


def test_article_json_ld_carries_every_property_google_reads(client):
    article = make_article(located="Kyiv")
    thread = thread_ensure(page=article)
    make_comment(thread, "One")
    make_comment(thread, "Two")
    data = _news_article(client, article.url)

    url = f"{BASE}{article.url}"
    assert data["@context"] == "https://schema.org"
    assert data["headline"] == "Talks offer hope"
    assert data["mainEntityOfPage"] == url
    assert data["description"] == "A one-sentence summary of the story."
    # Wagtail never upscales, so the small test image keeps its ratios rather than sizes.
    ratios = sorted(round(image["width"] / image["height"], 2) for image in data["image"])
    assert ratios == [1.0, 1.33, 1.78]
    assert all(image["url"].startswith(f"{BASE}/media/") for image in data["image"])
    for field in ("datePublished", "dateModified"):
        assert datetime.fromisoformat(data[field]).tzinfo is not None, field
    assert datetime.fromisoformat(data["datePublished"]) == article.first_published_at
    (author,) = data["author"]
    assert author["@type"] == "Person" and author["name"] == "Ann Writer"
    assert author["url"] == f"{BASE}/authors/{article.article_authors.get().author.slug}/"
    assert data["publisher"]["@type"] == "NewsMediaOrganization"
    assert data["publisher"]["name"]
    assert data["publisher"]["logo"]["url"].startswith(f"{BASE}/static/newsroom/logo")
    assert data["commentCount"] == 2
    assert data["discussionUrl"] == f"{url}#comments"
    assert data["articleSection"] == "World"
    assert data["dateline"] == "Kyiv"
    assert "correction" not in data


def test_a_site_served_under_a_path_prefix_names_its_addresses_once_under_it(client, settings):
    """SITE_BASE_URL ends in the prefix (docs/deploy.md); the request's reversed URLs carry it
    too, and a search engine must be given /news/..., not /news/news/...."""
    settings.SITE_BASE_URL = f"{BASE}/news"
    article = make_article()
    path = article.url

    # What Django's WSGI handler does with a request's SCRIPT_NAME (the test client does not).
    set_script_prefix("/news/")
    try:
        response = client.get(path, SCRIPT_NAME="/news")
    finally:
        clear_script_prefix()
    items = extruct.extract(response.content.decode(), base_url=BASE, syntaxes=["json-ld"])
    (data,) = [item for item in items["json-ld"] if item.get("@type") == "NewsArticle"]

    assert data["mainEntityOfPage"] == f"{BASE}/news{path}"
    (author,) = data["author"]
    assert author["url"] == f"{BASE}/news/authors/{article.article_authors.get().author.slug}/"
    assert data["publisher"]["logo"]["url"].startswith(f"{BASE}/news/static/newsroom/logo")


def test_an_article_without_a_byline_names_the_publication_as_its_author(client, settings):
    # Google reads an empty author list as no author at all (a warning on every such story);
    # the Atom feed already names the publication in the same case.
    article = make_article()
    ArticleAuthor.objects.filter(page=article).delete()

    data = _news_article(client, article.url)

    assert data["author"] == [
        {
            "@type": "NewsMediaOrganization",
            "@id": f"{BASE}/#organization",
            "name": settings.WAGTAIL_SITE_NAME,
            "url": f"{BASE}/",
        }
    ]


def test_article_json_ld_credits_the_lead_image_as_its_caption_does(client):
    article = make_article()
    NewsImage.objects.filter(pk=article.hero_image_id).update(creator="Olena Maker")

    data = _news_article(client, article.url)

    assert len(data["image"]) == 3
    for image in data["image"]:
        assert image["creditText"] == "Test Maker/Test Agency"
        assert image["creator"] == {"@type": "Person", "name": "Olena Maker"}
        assert image["copyrightNotice"] == "© Test"


def test_a_headline_with_a_closing_script_tag_cannot_break_out(client):
    headline = 'Fear of </script><script>alert("x")</script> & <b>markup</b>'
    article = make_article(title=headline)
    response = client.get(article.url)
    assert b'<script>alert("x")' not in response.content
    assert _news_article(client, article.url)["headline"] == headline


def test_a_published_correction_shows_in_json_ld_and_bumps_date_modified(client):
    article = make_article()
    corrected_at = timezone.now() + timedelta(minutes=5)
    article.corrections.add(
        Correction(corrected_at=corrected_at, text="An earlier version misspelt the minister.")
    )
    article.save_revision().publish()
    data = _news_article(client, article.url)

    (correction,) = data["correction"]
    assert correction["@type"] == "CorrectionComment"
    assert correction["text"] == "An earlier version misspelt the minister."
    assert datetime.fromisoformat(correction["datePublished"]) == corrected_at
    assert datetime.fromisoformat(data["dateModified"]) == corrected_at


def test_home_page_describes_the_publication_with_its_policy_pages(client):
    home = make_home()
    for kind, title in (("corrections", "Corrections policy"), ("ethics", "Ethics policy")):
        policy = home.add_child(
            instance=PolicyPage(title=title, slug=kind, kind=kind, body="<p>We correct.</p>")
        )
        policy.save_revision().publish()
    home.save_revision().publish()
    (org,) = [item for item in _json_ld(client, "/") if item["@type"] == "NewsMediaOrganization"]
    assert org["url"] == f"{BASE}/"
    assert org["logo"]["url"].startswith(f"{BASE}/static/")
    assert org["correctionsPolicy"] == f"{BASE}/corrections/"
    assert org["ethicsPolicy"] == f"{BASE}/ethics/"
    assert client.get("/corrections/").status_code == 200
