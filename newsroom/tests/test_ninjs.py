"""Every published article, live blogs with their entries, is IPTC ninjs 3.1 JSON, valid against
the official schema."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path

import jsonschema
import pytest
from bs4 import BeautifulSoup
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import timezone

from newsroom.demo import content, live_blog, standards
from newsroom.models import (
    ArticleAuthor,
    ArticlePage,
    Author,
    LiveBlogEntry,
    LiveBlogPage,
)
from newsroom.tests.factories import make_article, make_image, make_section

pytestmark = pytest.mark.django_db

# CI keeps the shared folder beside the repository (IPTC, CC BY 4.0).
SCHEMA_PATH = Path(django_settings.BASE_DIR).parent / "shared" / "data" / "ninjs-schema_3.1.json"


# The schema's two formats, "uri" (RFC 3986: ASCII only, an IRI is not one) and "date-time" (RFC
# 3339), checked by the RFCs' grammar: jsonschema's own checker checks them only with packages
# this project does not install, and without them passes any string, silently.
_URI = re.compile(
    r"[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*"
)
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})")
FORMATS = jsonschema.FormatChecker()
FORMATS.checks("uri")(lambda value: not isinstance(value, str) or bool(_URI.fullmatch(value)))
FORMATS.checks("date-time")(
    lambda value: not isinstance(value, str) or bool(_DATE_TIME.fullmatch(value))
)


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    if not SCHEMA_PATH.exists():
        pytest.fail(
            f"The ninjs 3.1 schema is missing at {SCHEMA_PATH}. Check out the shared folder "
            "beside the repository (shared/data/ninjs-schema_3.1.json)."
        )
    schema = json.loads(SCHEMA_PATH.read_text())
    return jsonschema.Draft202012Validator(schema, format_checker=FORMATS)


def _ninjs(client, article: ArticlePage) -> dict:
    response = client.get(f"/api/v1/ninjs/articles/{article.pk}.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ninjs+json")
    return json.loads(response.content)


@pytest.mark.usefixtures("new_site")
def test_the_demo_reference_article_is_valid_ninjs_3_1(client, settings, tmp_path, validator):
    settings.VAR_DIR = tmp_path
    call_command("load_demo", long_thread=0, prepare_images=False, stdout=StringIO())
    article = ArticlePage.objects.get(slug=content.REFERENCE_ARTICLE["slug"])
    data = _ninjs(client, article)

    errors = sorted(validator.iter_errors(data), key=lambda error: list(error.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)
    assert data["headlines"][0]["value"] == content.REFERENCE_ARTICLE["headline"]
    assert data["by"] == "Mara Ellison and Tomas Reyes"
    assert data["located"] == standards.LOCATED[article.slug]
    assert data["copyrightHolder"] and data["copyrightNotice"].startswith("©")
    assert data["bodies"][0]["contentType"] == "text/html" and data["bodies"][0]["wordCount"] > 300
    pictures = data["associations"]
    assert pictures and all(picture["type"] == "picture" for picture in pictures)
    lead = pictures[0]
    assert lead["by"] and lead["copyrightNotice"]
    assert any(d["role"] == "caption" and d["value"] for d in lead["descriptions"])
    assert {r["aspectRatio"] for r in lead["renditions"]} == {"16:9", "4:3", "1:1"}


def test_an_article_with_an_inline_figure_is_valid_too(client, validator):
    article = make_article()
    data = _ninjs(client, article)
    assert not list(validator.iter_errors(data))
    captions = [d["value"] for p in data["associations"] for d in p["descriptions"]]
    assert "Inline caption" in captions
    assert "Negotiators met for three hours." in data["bodies"][0]["value"]
    # The pull quote repeats a paragraph and is not a second copy of the sentence.
    assert data["bodies"][0]["value"].count("Negotiators met for three hours.") == 1


def test_the_article_page_links_its_ninjs(client):
    article = make_article()
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    link = soup.find("link", rel="alternate", type="application/ninjs+json")
    assert link["href"].endswith(f"/api/v1/ninjs/articles/{article.pk}.json")


def test_a_draft_or_unknown_article_has_no_ninjs(client):
    article = make_article()
    article.unpublish()
    assert client.get(f"/api/v1/ninjs/articles/{article.pk}.json").status_code == 404
    assert client.get("/api/v1/ninjs/articles/999999.json").status_code == 404


def test_an_article_whose_image_file_is_gone_still_answers(client):
    from newsroom.tests.factories import make_article

    article = make_article()
    article.hero_image.file.storage.delete(article.hero_image.file.name)
    article.hero_image.renditions.all().delete()
    assert client.get(f"/api/v1/ninjs/articles/{article.pk}.json").status_code == 200
    assert client.get(article.url).status_code == 200


def _live_blog_with_entries() -> LiveBlogPage:
    section = make_section()
    page = LiveBlogPage(
        title="Storm live", slug="storm-live", standfirst="Updates as the storm passes.", body=[]
    )
    writer = Author.objects.create(name="Desk Writer", slug="desk-writer")
    start = timezone.now() - timedelta(hours=2)
    page.entries.add(
        LiveBlogEntry(
            posted_at=start,
            headline="Storm reaches the coast",
            body="<p>Winds of <b>120 km/h</b> on the coast.</p>",
            author=writer,
            image=make_image(caption="Waves over the harbour wall"),
        )
    )
    page.entries.add(LiveBlogEntry(posted_at=start + timedelta(hours=1), body="<p>Rain eases.</p>"))
    section.add_child(instance=page)
    ArticleAuthor.objects.create(page=page, author=writer)
    page.save_revision().publish()
    return page


def test_a_live_blog_carries_its_entries_newest_first_as_valid_ninjs(client, validator):
    page = _live_blog_with_entries()
    data = _ninjs(client, page)

    errors = sorted(validator.iter_errors(data), key=lambda error: list(error.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)
    assert data["profile"] == "broadsheet-live-blog"
    entries = [item for item in data["associations"] if item.get("rel") == "liveEntry"]
    newest, oldest = page.entries.order_by("-posted_at")
    assert [entry["uri"] for entry in entries] == [
        f"{data['uri']}#entry-{newest.pk}",
        f"{data['uri']}#entry-{oldest.pk}",
    ]
    assert all(entry["type"] == "text" for entry in entries)
    assert entries[0]["bodies"][0]["value"] == "<p>Rain eases.</p>"
    assert "headlines" not in entries[0] and "by" not in entries[0]
    first = entries[1]
    assert datetime.fromisoformat(first["firstCreated"]) == oldest.posted_at
    assert first["headlines"] == [{"role": "main", "value": "Storm reaches the coast"}]
    assert first["bodies"][0]["contentType"] == "text/html"
    assert first["by"] == "Desk Writer"
    assert first["people"][0]["uri"].endswith("/authors/desk-writer/")
    (picture,) = first["associations"]
    assert picture["type"] == "picture"
    assert {"role": "caption", "value": "Waves over the harbour wall"} in picture["descriptions"]


@pytest.mark.usefixtures("new_site")
def test_the_demo_live_blog_is_valid_ninjs_3_1_with_every_entry(
    client, settings, tmp_path, validator
):
    settings.VAR_DIR = tmp_path
    call_command("load_demo", long_thread=0, prepare_images=False, stdout=StringIO())
    page = LiveBlogPage.objects.get(slug=live_blog.LIVE_BLOG["slug"])
    data = _ninjs(client, page)

    errors = sorted(validator.iter_errors(data), key=lambda error: list(error.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)
    entries = [item for item in data["associations"] if item.get("rel") == "liveEntry"]
    assert [entry["headlines"][0]["value"] for entry in entries] == [
        item["headline"] for item in reversed(live_blog.ENTRIES)
    ]
    assert all(entry["by"] and entry["firstCreated"] for entry in entries)


def _errors(data: dict, validator) -> list[str]:
    errors = sorted(validator.iter_errors(data), key=lambda error: list(error.path))
    return [f"{list(error.path)}: {error.message}" for error in errors]


def test_accented_addresses_and_file_names_are_uris_in_ninjs(client, validator):
    # Wagtail takes unicode slugs and file names keep their letters: the schema's "uri" is
    # ASCII, so each must reach the ninjs percent-encoded.
    section = make_section()
    section.slug = "économie"
    section.save_revision().publish()
    article = make_article(section=section, title="Prix du café")
    article.slug = "prix-du-café"
    image = article.hero_image
    storage = image.file.storage
    with storage.open(image.file.name) as original:
        image.file.name = storage.save("original_images/café crème.jpg", original)
    image.save()
    article.save_revision().publish()

    data = _ninjs(client, article)

    assert _errors(data, validator) == []
    assert "%C3%A9" in data["uri"] and "%C3%A9" in data["associations"][0]["uri"]


def test_an_article_whose_image_file_is_gone_is_still_valid_ninjs(client, validator):
    article = make_article()
    article.hero_image.file.storage.delete(article.hero_image.file.name)
    article.hero_image.renditions.all().delete()

    assert _errors(_ninjs(client, article), validator) == []


def test_links_to_the_sites_own_pages_are_absolute_in_the_body(client, settings):
    """A partner's system reads the body away from the site: a link to another article was
    "/section-world/article-1/", which leads nowhere there (docs/formats.md: every link inside
    these formats is absolute)."""
    settings.SITE_BASE_URL = "https://news.example.org"
    earlier = make_article(title="Talks begin")
    article = make_article(title="Talks resume")
    article.body = [
        {
            "type": "paragraph",
            "value": f'<p>As <a linktype="page" id="{earlier.pk}">we reported</a>, and as '
            '<a href="/world/?page=2&amp;sort=new">the section</a> and '
            '<a href="https://example.net/report">a report</a> say.</p>',
        }
    ]
    article.save_revision().publish()

    body = BeautifulSoup(_ninjs(client, article)["bodies"][0]["value"], "html.parser")

    assert [link["href"] for link in body.find_all("a")] == [
        f"https://news.example.org{earlier.url}",
        "https://news.example.org/world/?page=2&sort=new",
        "https://example.net/report",
    ]
