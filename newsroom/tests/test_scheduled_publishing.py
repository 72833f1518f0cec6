"""An article scheduled ahead stays out of every public surface until its go-live time, then the
scheduler publishes it. Time passing is simulated by moving the scheduled time, not by sleeping."""

from __future__ import annotations

from datetime import timedelta

import feedparser
import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Revision

from newsroom.models import ArticlePage
from newsroom.tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _index_at_once(settings):
    """Wagtail indexes pages through the task queue; run its tasks at once, as a worker would."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


TITLE = "Embargoed budget details"


def _visible_everywhere(client, article: ArticlePage) -> dict[str, bool]:
    feed = feedparser.parse(client.get("/feeds/rss/").content)
    return {
        "home": TITLE in client.get("/").content.decode(),
        "feed": any(entry.title == TITLE for entry in feed.entries),
        "sitemap": article.slug in client.get("/sitemap.xml").content.decode(),
        "news sitemap": article.slug in client.get("/sitemap-news.xml").content.decode(),
        "ninjs": client.get(f"/api/v1/ninjs/articles/{article.pk}.json").status_code == 200,
        "search": TITLE in client.get("/search/", {"q": "budget"}).content.decode(),
        "page": client.get(f"{article.get_parent().url}{article.slug}/").status_code == 200,
    }


def _schedule_one_minute_ahead() -> ArticlePage:
    section = make_section()
    make_article(section=section, title="Already out")
    article = ArticlePage(
        title=TITLE,
        slug="embargoed-budget",
        standfirst="Details of the budget.",
        body=[{"type": "paragraph", "value": "<p>The budget raises spending.</p>"}],
        live=False,
        go_live_at=timezone.now() + timedelta(minutes=1),
    )
    section.add_child(instance=article)
    article.save_revision().publish()
    article.refresh_from_db()
    return article


def test_a_scheduled_article_appears_only_after_its_time(client):
    article = _schedule_one_minute_ahead()
    assert not article.live

    call_command("run_scheduler", once=True)  # before its time: nothing changes
    assert not any(_visible_everywhere(client, article).values())

    # A minute later: move the scheduled time (in the revision and its approval) into the past.
    past = timezone.now() - timedelta(seconds=1)
    for revision in Revision.objects.filter(object_id=str(article.pk)):
        revision.content["go_live_at"] = past.isoformat()
        revision.approved_go_live_at = past
        revision.save(update_fields=["content", "approved_go_live_at"])
    call_command("run_scheduler", once=True)
    article.refresh_from_db()
    assert article.live
    assert all(_visible_everywhere(client, article).values()), _visible_everywhere(client, article)
