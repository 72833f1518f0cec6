"""Under each article, "More from <section>": the section's latest other stories."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from wagtail.models import PageViewRestriction

from newsroom.models import ArticlePage
from newsroom.tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def _more(client, url) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    aside = BeautifulSoup(response.content, "html.parser").select_one("aside.more-from")
    if aside is None:
        return []
    return [link.get_text() for link in aside.select(".more-from__item a")]


def _dated(article: ArticlePage, days_ago: int) -> ArticlePage:
    when = timezone.now() - timedelta(days=days_ago)
    ArticlePage.objects.filter(pk=article.pk).update(first_published_at=when)
    return article


def test_an_article_lists_its_sections_latest_other_stories_newest_first(client):
    world = make_section("World")
    reading = _dated(make_article(section=world, title="Reading this"), 3)
    for days_ago in (6, 1, 5, 2, 4):
        _dated(make_article(section=world, title=f"{days_ago} days ago"), days_ago)
    make_article(section=make_section("Business"), title="Another section's story")

    assert _more(client, reading.url) == [
        "1 days ago",
        "2 days ago",
        "4 days ago",
        "5 days ago",
    ]


def test_the_list_is_headed_by_the_section_it_links_to(client):
    world = make_section("World")
    reading = make_article(section=world, title="Reading this")
    make_article(section=world, title="Next story")

    page = BeautifulSoup(client.get(reading.url).content, "html.parser")

    heading = page.select_one("aside.more-from h2")
    assert heading.get_text(" ", strip=True) == "More from World"
    assert heading.a["href"] == world.url
    assert page.select_one("aside.more-from")["aria-labelledby"] == heading["id"]


def test_drafts_and_private_stories_are_not_listed(client):
    world = make_section("World")
    reading = make_article(section=world, title="Reading this")
    make_article(section=world, title="Public story")
    make_article(section=world, title="Withdrawn story").unpublish()
    PageViewRestriction.objects.create(
        page=make_article(section=world, title="Members' story"),
        restriction_type=PageViewRestriction.LOGIN,
    )

    assert _more(client, reading.url) == ["Public story"]


def test_the_only_story_in_its_section_shows_no_empty_list(client):
    reading = make_article(section=make_section("World"), title="Alone")

    assert _more(client, reading.url) == []
    assert b"More from" not in client.get(reading.url).content


def test_a_story_published_since_the_last_view_is_listed_at_once(
    client, django_capture_on_commit_callbacks
):
    world = make_section("World")
    reading = _dated(make_article(section=world, title="Reading this"), 2)
    _dated(make_article(section=world, title="Older story"), 3)
    assert _more(client, reading.url) == ["Older story"]

    with django_capture_on_commit_callbacks(execute=True):
        make_article(section=world, title="Breaking story")

    assert _more(client, reading.url) == ["Breaking story", "Older story"]
