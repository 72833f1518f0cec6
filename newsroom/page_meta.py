"""What an article page tells machines about itself: JSON-LD, social cards and alternate links.

Built once per request from data the page already loaded, so the template only prints it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from newsroom import links, structured_data


def article_modified_at(page, corrections: list) -> datetime | None:
    """The last change a reader can see: the latest publish or the latest correction."""
    moments = [page.last_published_at or page.first_published_at]
    moments += [correction.corrected_at for correction in corrections]
    moments = [moment for moment in moments if moment is not None]
    return max(moments) if moments else None


def article_meta_context(*, page, authors: list, corrections: list, thread) -> dict[str, Any]:
    crops = structured_data.lead_image_crops(page.hero_image) if page.hero_image else {}
    modified_at = article_modified_at(page, corrections)
    json_ld = structured_data.article_json_ld(
        page=page,
        authors=authors,
        corrections=corrections,
        comment_count=thread.comment_count if thread is not None else 0,
        crops=crops,
        modified_at=modified_at,
    )
    social_image = crops.get("16x9")
    section = page.get_parent()
    return {
        "json_ld": structured_data.json_ld_script(json_ld),
        "json_ld_data": json_ld,
        "canonical_url": links.page_url(page),
        "social_image_url": links.absolute(social_image.url) if social_image else "",
        "social_image": social_image,
        "published_iso": links.iso(page.first_published_at),
        "modified_iso": links.iso(modified_at),
        "modified_at": modified_at,
        "section_title": section.title if section is not None else "",
        "author_urls": [links.author_url(author) for author in authors],
        # An article not yet saved (its first preview in the admin) has no id to link by.
        "ninjs_url": links.ninjs_url(page) if page.pk else "",
        "comments_feed_url": links.comments_feed_url(page) if page.pk else "",
    }
