"""Each author has a public page: their latest articles (keyset-paged), their feeds and a
ProfilePage; bylines, JSON-LD and Open Graph point readers and machines to it."""

from __future__ import annotations

import itertools
from datetime import timedelta

import extruct
import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from newsroom.models import ArticleAuthor, ArticlePage, Author
from newsroom.tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

BASE = "https://news.example"
_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.SITE_BASE_URL = BASE


@pytest.fixture
def author() -> Author:
    return Author.objects.create(name="Mara Ellison", slug="mara-ellison", bio="Covers Ukraine.")


def _publish(section, author: Author, title: str, *, published=None) -> ArticlePage:
    """A plain published article by ``author`` (no images: these tests are about listings)."""
    article = ArticlePage(
        title=title, slug=f"story-{next(_numbers)}", standfirst=f"About {title}.", body=[]
    )
    section.add_child(instance=article)
    ArticleAuthor.objects.create(page=article, author=author)
    article.save_revision().publish()
    if published is not None:
        ArticlePage.objects.filter(pk=article.pk).update(
            first_published_at=published, last_published_at=published
        )
    return article


def _soup(client, url: str, status: int = 200) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == status, url
    return BeautifulSoup(response.content, "html.parser")


def _headlines(soup: BeautifulSoup) -> list[str]:
    return [a.get_text() for a in soup.select(".article-card__headline a")]


def test_author_page_lists_their_published_articles_newest_first_with_their_feeds(client, author):
    section = make_section()
    now = timezone.now()
    _publish(section, author, "Older story", published=now - timedelta(days=3))
    _publish(section, author, "Newer story", published=now - timedelta(hours=1))
    draft = _publish(section, author, "Pulled story")
    draft.unpublish()
    someone_else = Author.objects.create(name="Tomas Reyes", slug="tomas-reyes")
    _publish(section, someone_else, "Not hers")

    soup = _soup(client, "/authors/mara-ellison/")

    assert soup.h1.get_text() == "Mara Ellison"
    assert "Covers Ukraine." in soup.select_one(".page-intro").get_text()
    assert _headlines(soup) == ["Newer story", "Older story"]
    rss = soup.find("link", rel="alternate", title="Mara Ellison (RSS)")
    atom = soup.find("link", rel="alternate", title="Mara Ellison (Atom)")
    assert rss["href"] == f"{BASE}/feeds/rss/author/mara-ellison/"
    assert atom["href"] == f"{BASE}/feeds/atom/author/mara-ellison/"
    assert rss["type"] == "application/rss+xml" and atom["type"] == "application/atom+xml"
    assert soup.find("link", rel="canonical")["href"] == f"{BASE}/authors/mara-ellison/"


def test_author_page_describes_the_person_as_a_profile_page(client, author):
    html = client.get("/authors/mara-ellison/").content.decode()
    items = extruct.extract(html, base_url=BASE, syntaxes=["json-ld"])["json-ld"]
    (profile,) = [item for item in items if item.get("@type") == "ProfilePage"]
    person = profile["mainEntity"]
    assert person["@type"] == "Person"
    assert person["name"] == "Mara Ellison"
    assert person["url"] == profile["url"] == f"{BASE}/authors/mara-ellison/"
    assert person["description"] == "Covers Ukraine."
    assert person["worksFor"]["@type"] == "NewsMediaOrganization"


def test_older_articles_are_paged_by_keyset_and_a_new_article_does_not_shift_them(client, author):
    section = make_section()
    start = timezone.now() - timedelta(days=30)
    for n in range(22):
        # Two share one publish time, so the page break must also order by id.
        moment = start + timedelta(hours=n if n != 3 else 2)
        _publish(section, author, f"Story {n:02}", published=moment)

    first = _soup(client, "/authors/mara-ellison/")
    first_headlines = _headlines(first)
    assert len(first_headlines) == 20 and first_headlines[0] == "Story 21"
    older = first.find("a", rel="next")
    assert older.get_text() == "Older articles" and older["href"].startswith("?before=")

    # A story published meanwhile goes on top of page one; page two stays where it was.
    _publish(section, author, "Breaking story")
    second = _soup(client, f"/authors/mara-ellison/{older['href']}")

    second_headlines = _headlines(second)
    assert not set(first_headlines) & set(second_headlines)
    assert sorted(first_headlines + second_headlines) == [f"Story {n:02}" for n in range(22)]
    assert second.find("a", rel="next") is None
    assert second.find("a", string="Newest articles")["href"] == "/authors/mara-ellison/"
    assert second.find("meta", attrs={"name": "robots"})["content"] == "noindex, follow"


def test_an_unknown_author_is_404_and_a_made_up_cursor_shows_the_newest_page(client, author):
    _publish(make_section(), author, "Only story")
    assert client.get("/authors/nobody-here/").status_code == 404
    for cursor in ("abc", "1.2.3", "9" * 30 + ".1", "99999999999999999.1", "-5.3"):
        soup = _soup(client, f"/authors/mara-ellison/?before={cursor}")
        assert _headlines(soup) == ["Only story"], cursor


def test_a_cursor_of_digits_python_cannot_read_as_a_number_shows_the_newest_page(client, author):
    # "²" and "①" are digits to str.isdigit() but not numbers to int(): the page was a 500.
    _publish(make_section(), author, "Only story")
    for cursor in ("².1", "1.³", "①.1", "١٢.٣"):
        soup = _soup(client, f"/authors/mara-ellison/?before={cursor}")
        assert _headlines(soup) == ["Only story"], cursor


def test_bylines_json_ld_and_open_graph_point_to_the_author_page(client):
    article = make_article()
    author = article.article_authors.get().author
    page_url = f"/authors/{author.slug}/"
    html = client.get(article.url).content.decode()
    soup = BeautifulSoup(html, "html.parser")

    byline_link = soup.select_one(".byline a.byline__author")
    assert byline_link.get_text() == "Ann Writer" and byline_link["href"] == page_url
    (news,) = [
        item
        for item in extruct.extract(html, base_url=BASE, syntaxes=["json-ld"])["json-ld"]
        if item.get("@type") == "NewsArticle"
    ]
    assert news["author"][0]["url"] == f"{BASE}{page_url}"
    assert soup.find("meta", property="article:author")["content"] == f"{BASE}{page_url}"
    assert "Talks offer hope" in _headlines(_soup(client, page_url))
