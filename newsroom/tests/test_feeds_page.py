"""/feeds/: every feed of the site on one page, for a reader to paste into a feed reader; each
section page names its own feeds where a reader sees them."""

from __future__ import annotations

import feedparser
import pytest
from bs4 import BeautifulSoup
from wagtail.models import PageViewRestriction

from newsroom.tests.factories import make_section

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_the_default_section")]


def _soup(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def _feed_title(client, href: str) -> str:
    response = client.get(href)
    assert response.status_code == 200, href
    feed = feedparser.parse(response.content)
    assert not feed.bozo, href
    return feed.feed.title


def test_the_feeds_page_lists_each_live_sections_rss_and_atom_feeds(client):
    make_section("World")
    make_section("Business")

    soup = _soup(client, "/feeds/")

    by_section = soup.find("h2", string="By section").find_next("ul")
    rows = [item.get_text(" ", strip=True) for item in by_section.find_all("li")]
    assert [row.split(":")[0] for row in rows] == ["World", "Business"]
    for link in by_section.find_all("a"):
        section = link["aria-label"].split(" (")[0]
        assert _feed_title(client, link["href"]).startswith(f"{section} — ")


def test_the_feeds_page_links_the_whole_sites_feeds(client):
    make_section("World")

    soup = _soup(client, "/feeds/")

    everything = soup.find("h2", string="Everything").find_next("ul")
    hrefs = {link.get_text(strip=True): link["href"] for link in everything.find_all("a")}
    assert hrefs == {"RSS": "/feeds/rss/", "Atom": "/feeds/atom/"}
    for href in hrefs.values():
        _feed_title(client, href)


def test_the_feeds_page_leaves_out_sections_readers_cannot_open(client):
    make_section("World")
    draft = make_section("Drafts")
    draft.unpublish()
    private = make_section("Staff only")
    PageViewRestriction.objects.create(page=private, restriction_type="login")

    soup = _soup(client, "/feeds/")

    text = soup.find("h2", string="By section").find_next("ul").get_text(" ", strip=True)
    assert "World" in text
    assert "Drafts" not in text
    assert "Staff only" not in text


def test_the_footer_links_the_feeds_page(client):
    make_section("World")

    footer = _soup(client, "/").select_one("footer")

    assert footer.find("a", string="All feeds")["href"] == "/feeds/"


def test_a_section_page_shows_its_own_feeds_to_readers(client):
    section = make_section("World")

    soup = _soup(client, section.url)

    follow = soup.select_one("main p.feed-links")
    assert follow.get_text(" ", strip=True).startswith("Follow World:")
    hrefs = {link.get_text(strip=True): link["href"] for link in follow.find_all("a")}
    assert _feed_title(client, hrefs["RSS"]).startswith("World — ")
    assert _feed_title(client, hrefs["Atom"]).startswith("World — ")
    assert hrefs["All feeds"] == "/feeds/"
