"""Live blogs: entries newest first, ``LiveBlogPosting`` structured data, and new entries.

Open readers fetch entries newer than the last one they have (``live_entries_after``); the page's
script holds them back until the reader presses "Show new updates", and a pause control stops
fetching. The project has no Server-Sent Events stream yet, so this polls a small uncached
fragment; moving to SSE later changes only the script's transport.
"""

from __future__ import annotations

from typing import Any

from django.utils.html import strip_tags

from newsroom import links, structured_data

POLL_SECONDS = 20
ENTRIES_AFTER_LIMIT = 50


def entries_newest_first(*, page) -> list:
    return list(page.entries.select_related("author", "image").order_by("-posted_at", "-pk"))


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
            "articleBody": strip_tags(entry.body),
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
        "latest_entry_id": max((entry.pk for entry in entries), default=0),
        "poll_seconds": POLL_SECONDS,
        "json_ld": structured_data.json_ld_script(data),
    }
