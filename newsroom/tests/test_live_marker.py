"""The front and section pages mark a live blog that is still being updated as "Live"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from newsroom.models import LiveBlogEntry, LiveBlogPage
from newsroom.tests.factories import make_article, make_home, make_section

pytestmark = pytest.mark.django_db


def _live_blog(section, *, title: str, last_entry_age: timedelta) -> LiveBlogPage:
    page = LiveBlogPage(title=title, slug=title.lower().replace(" ", "-"), standfirst="S.", body=[])
    page.entries.add(
        LiveBlogEntry(posted_at=timezone.now() - last_entry_age, body="<p>An update.</p>")
    )
    section.add_child(instance=page)
    page.save_revision().publish()
    return page


def _live_marks(html: bytes) -> dict[str, bool]:
    soup = BeautifulSoup(html, "html.parser")
    return {
        card.h2.a.get_text(strip=True): card.h2.select_one(".live-badge") is not None
        for card in soup.select(".article-card")
    }


def test_a_live_blog_updated_within_a_day_is_marked_live_on_the_front_and_section_pages(client):
    section = make_section()
    make_article(section=section, title="Plain report")
    _live_blog(section, title="Storm live", last_entry_age=timedelta(hours=2))
    _live_blog(section, title="Old storm live", last_entry_age=timedelta(days=3))
    expected = {"Plain report": False, "Storm live": True, "Old storm live": False}

    assert _live_marks(client.get(make_home().url).content) == expected
    assert _live_marks(client.get(section.url).content) == expected
