"""The page editor's Promote tab offers Wagtail's "Title tag" and "Meta description" for search
engines: what an editor types there is what the page's <title> and meta description say."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from newsroom.models import PolicyPage
from newsroom.tests.factories import make_article, make_home, make_section

pytestmark = pytest.mark.django_db


def _head(client, page) -> tuple[str, str | None]:
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    description = soup.find("meta", attrs={"name": "description"})
    return soup.title.get_text(), description["content"] if description else None


def _promote(page, *, title: str, description: str):
    page.seo_title, page.search_description = title, description
    page.save_revision().publish()
    return page


def test_an_articles_title_tag_and_meta_description_are_used_in_its_head(client, settings):
    settings.WAGTAIL_SITE_NAME = "The Test Paper"
    article = _promote(
        make_article(title="Talks offer hope"),
        title="Istanbul talks: Russia & Ukraine agree to meet again",
        description="What was agreed in Istanbul, and what was not.",
    )

    title, description = _head(client, article)

    assert title == "Istanbul talks: Russia & Ukraine agree to meet again — The Test Paper"
    assert description == "What was agreed in Istanbul, and what was not."
    # The headline and standfirst stay what social cards and structured data show.
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    assert soup.find("meta", property="og:title")["content"] == "Talks offer hope"
    assert soup.find("meta", property="og:description")["content"] == article.standfirst


def test_without_them_an_article_keeps_its_headline_and_standfirst(client, settings):
    settings.WAGTAIL_SITE_NAME = "The Test Paper"
    article = make_article(title="Talks offer hope")

    assert _head(client, article) == ("Talks offer hope — The Test Paper", article.standfirst)


def test_sections_policy_pages_and_the_front_page_use_them_too(client, settings):
    settings.WAGTAIL_SITE_NAME = "The Test Paper"
    section = _promote(make_section("World"), title="World news", description="Abroad.")
    policy = make_home().add_child(
        instance=PolicyPage(title="Corrections", slug="corrections", body="<p>We fix.</p>")
    )
    policy = _promote(policy, title="How we correct", description="Our corrections policy.")
    home = _promote(make_home(), title="The Test Paper: news", description="News, daily.")

    assert _head(client, section) == ("World news — The Test Paper", "Abroad.")
    assert _head(client, policy) == ("How we correct — The Test Paper", "Our corrections policy.")
    assert _head(client, home) == ("The Test Paper: news", "News, daily.")
