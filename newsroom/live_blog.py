"""Live blogs: entries newest first, ``LiveBlogPosting`` structured data, and new entries.

Publishing the live blog sends an ``entries`` event on the page's live stream (the same
Server-Sent Events stream as its comments; ``newsroom.publish_hooks``). Open readers then fetch
the entries newer than the last one they have (``live_entries_after``); the page's script holds
them back until the reader presses "Show new updates", and a pause control stops fetching.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils import timezone

from newsroom import links, structured_data

POLL_SECONDS = 20
ENTRIES_AFTER_LIMIT = 50
# A live blog is "live" (marked so on the front and section pages) while its newest entry is
# younger than this: a story still being covered, not one whose coverage ended days ago.
LIVE_WINDOW = timedelta(hours=24)


def is_live_annotation(*, now: datetime | None = None) -> Exists:
    """For ``ArticlePage`` querysets: true for a live blog with an entry in ``LIVE_WINDOW``.

    A subquery of the listing's own query, so marking cards costs no query of its own.
    """
    from newsroom.models import LiveBlogEntry

    since = (now or timezone.now()) - LIVE_WINDOW
    return Exists(LiveBlogEntry.objects.filter(page_id=OuterRef("pk"), posted_at__gte=since))


def entries_newest_first(*, page) -> list:
    from newsroom.models import with_times_for_preview

    entries = list(page.entries.select_related("author", "image").order_by("-posted_at", "-pk"))
    if any(entry.posted_at is None for entry in entries):
        # A preview's entry not saved yet: shown as posted now, so first.
        with_times_for_preview(entries, "posted_at")
        entries.sort(key=lambda e: (e.posted_at, e.pk is None, e.pk or 0), reverse=True)
    return entries


def entries_of_live_blog(*, page_id: int) -> list:
    """A live blog's entries by its id alone, newest first (for ninjs)."""
    from newsroom.models import LiveBlogEntry

    return list(
        LiveBlogEntry.objects.filter(page_id=page_id)
        .select_related("author", "image")
        .order_by("-posted_at", "-pk")
    )


def live_entries_after(*, page, after: int) -> list:
    """Entries added since entry ``after`` (ids only grow), newest first, bounded."""
    return list(
        page.entries.filter(pk__gt=after)
        .select_related("author", "image")
        .order_by("-posted_at", "-pk")[:ENTRIES_AFTER_LIMIT]
    )


def live_blog_json_ld(*, page, base: dict[str, Any], entries: list) -> dict[str, Any]:
    """The article's JSON-LD retyped as ``LiveBlogPosting`` with one update per entry."""
    url = links.page_url(page)
    data = {**base, "@type": "LiveBlogPosting"}
    if entries:
        data["coverageStartTime"] = links.iso(min(entry.posted_at for entry in entries))
    data["liveBlogUpdate"] = [
        {
            "@type": "BlogPosting",
            "headline": entry.headline or page.title,
            "datePublished": links.iso(entry.posted_at),
            "url": f"{url}#{entry.anchor}",
            "articleBody": structured_data.plain_text(entry.body),
            **({"author": {"@type": "Person", "name": entry.author.name}} if entry.author else {}),
        }
        for entry in entries
    ]
    return data


def live_blog_context(*, page, base_json_ld: dict[str, Any]) -> dict[str, Any]:
    entries = entries_newest_first(page=page)
    data = live_blog_json_ld(page=page, base=base_json_ld, entries=entries)
    return {
        "entries": entries,
        "latest_entry_id": max((entry.pk for entry in entries if entry.pk), default=0),
        "poll_seconds": POLL_SECONDS,
        "json_ld": structured_data.json_ld_script(data),
    }
