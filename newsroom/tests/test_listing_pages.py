"""The home and section pages list the latest articles with their comment counts."""

import pytest
from bs4 import BeautifulSoup

from discussion.models import Thread
from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from newsroom.models import PolicyPage
from newsroom.tests.factories import make_article, make_home, make_section

pytestmark = pytest.mark.django_db


def test_home_lists_latest_articles_with_comment_counts(client):
    section = make_section()
    quiet = make_article(section=section, title="Quiet story")
    busy = make_article(section=section, title="Busy story")
    thread = thread_ensure(page=busy)
    make_comment(thread, "one")
    make_comment(thread, "two")
    soup = BeautifulSoup(client.get(make_home().url).content, "html.parser")
    cards = {card.h2.get_text(strip=True): card for card in soup.select(".article-card")}
    assert set(cards) == {"Quiet story", "Busy story"}
    assert "2 comments" in cards["Busy story"].get_text()
    assert "0 comments" in cards["Quiet story"].get_text()
    assert cards["Quiet story"].a["href"] == quiet.url


def test_section_lists_only_its_own_articles(client):
    world, business = make_section("World"), make_section("Business")
    make_article(section=world, title="Talks")
    make_article(section=business, title="Markets")
    soup = BeautifulSoup(client.get(business.url).content, "html.parser")
    assert [h.get_text(strip=True) for h in soup.select(".article-card h2")] == ["Markets"]


def test_a_section_names_its_absolute_address_as_canonical(client, settings):
    settings.SITE_BASE_URL = "https://news.example"
    world = make_section("World")

    soup = BeautifulSoup(client.get(world.url).content, "html.parser")

    assert soup.find("link", rel="canonical")["href"] == f"https://news.example{world.url}"


def test_a_policy_page_names_its_absolute_address_as_canonical(client, settings):
    # A policy page is in the sitemap and linked from every page's footer and the publisher's
    # JSON-LD, like a section; it alone carried no canonical link.
    settings.SITE_BASE_URL = "https://news.example"
    policy = make_home().add_child(
        instance=PolicyPage(
            title="Corrections", slug="corrections-policy", kind="corrections", body="<p>Fixed.</p>"
        )
    )
    policy.save_revision().publish()

    soup = BeautifulSoup(client.get(policy.url).content, "html.parser")

    assert soup.find("link", rel="canonical")["href"] == "https://news.example/corrections-policy/"


def test_big_comment_counts_are_written_with_thousands_grouped(client):
    busy = make_article(section=make_section(), title="Busy story")
    Thread.objects.filter(pk=thread_ensure(page=busy).pk).update(comment_count=10000)

    soup = BeautifulSoup(client.get(make_home().url).content, "html.parser")

    assert "10,000 comments" in soup.select_one(".article-card").get_text()
