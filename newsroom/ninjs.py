"""An article as IPTC ninjs 3.1 ("news in JSON"), the shape newsrooms exchange stories in.

The text item carries headline, summary, HTML body, byline, dateline (``located``) and
copyright; each picture (the lead image and every figure) is an association of type
``picture`` with its caption, credit, copyright and three crops as renditions. ninjs has no
caption field on a rendition, so captions and credits live on the picture association.

A live blog is the same text item with the ``broadsheet-live-blog`` profile; each of its entries
follows the pictures as an association of type ``text`` (``rel`` ``liveEntry``), newest first, with
its anchor address as ``uri``, its time, headline, HTML body, author and picture.
"""

from __future__ import annotations

import mimetypes
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.html import format_html
from wagtail.rich_text import expand_db_html

from newsroom import links
from newsroom.page_meta import article_modified_at
from newsroom.structured_data import lead_image_crops, plain_text

PROFILE = "broadsheet-article"
LIVE_BLOG_PROFILE = "broadsheet-live-blog"


def _body_html(page) -> str:
    """Paragraphs and block quotes as HTML; figures travel as associations, and pull quotes
    repeat a paragraph, so both are left out of the text. Links to the site's own pages are
    absolute, as the body is read elsewhere."""
    parts = []
    for block in page.body:
        if block.block_type == "paragraph":
            parts.append(links.absolute_links(str(block.value)))
        elif block.block_type == "block_quote":
            quote = format_html("<blockquote><p>{}</p>", block.value["quote"])
            if block.value.get("attribution"):
                quote += format_html("<footer>{}</footer>", block.value["attribution"])
            parts.append(quote + "</blockquote>")
    return "\n".join(parts)


def _picture(image, *, name: str, caption: str = "") -> dict[str, Any]:
    crops = lead_image_crops(image)
    picture: dict[str, Any] = {
        "name": name,
        "uri": links.absolute(image.file.url),
        "type": "picture",
        "headlines": [{"value": image.title}],
        "descriptions": [
            {"role": "caption", "value": caption or image.caption},
            {"role": "alt", "value": image.default_alt_text},
        ],
        "renditions": [
            {
                "name": ratio,
                "href": links.absolute(rendition.url),
                "contentType": mimetypes.guess_type(rendition.file.name)[0] or "image/jpeg",
                "width": rendition.width,
                "height": rendition.height,
                "aspectRatio": ratio.replace("x", ":"),
            }
            for ratio, rendition in crops.items()
        ],
    }
    if image.credit:
        picture["by"] = image.credit
        picture["infoSources"] = [{"name": image.credit, "role": "originator"}]
    if image.copyright:
        picture["copyrightNotice"] = image.copyright
    return picture


def _html_body(html: str) -> dict[str, Any]:
    text = plain_text(html)  # counts are of what a reader sees: &#x27; is one character
    return {
        "role": "main",
        "contentType": "text/html",
        "value": html,
        "charCount": len(text),
        "wordCount": len(text.split()),
    }


def _people(authors: list) -> list[dict[str, str]]:
    return [
        {"name": author.name, "rel": "author", "uri": links.author_url(author)}
        for author in authors
    ]


def _live_entry(entry, *, page_url: str) -> dict[str, Any]:
    """One live blog entry as a text association; its ``uri`` is the entry's anchor address."""
    posted = links.iso(entry.posted_at)
    item: dict[str, Any] = {
        "name": entry.anchor,
        "rel": "liveEntry",
        "uri": f"{page_url}#{entry.anchor}",
        "type": "text",
        "representationType": "full",
        "firstCreated": posted,
        "versionCreated": posted,
        "pubStatus": "usable",
        "bodies": [_html_body(links.absolute_links(expand_db_html(entry.body)))],
    }
    if entry.headline:
        item["headlines"] = [{"role": "main", "value": entry.headline}]
    if entry.author is not None:
        item["by"] = entry.author.name
        item["people"] = _people([entry.author])
    if entry.image is not None:
        item["associations"] = [_picture(entry.image, name="picture")]
    return item


def article_ninjs(
    *, page, authors: list, corrections: list, entries: list | None = None
) -> dict[str, Any]:
    """``page`` as a ninjs text item; ``entries`` (a live blog's, newest first) when it has any."""
    modified_at = article_modified_at(page, corrections)
    year = timezone.localtime(page.first_published_at or timezone.now()).year
    item: dict[str, Any] = {
        "uri": links.page_url(page),
        "type": "text",
        "representationType": "full",
        "profile": PROFILE if entries is None else LIVE_BLOG_PROFILE,
        "version": str(page.live_revision_id or ""),
        "firstCreated": links.iso(page.first_published_at),
        "versionCreated": links.iso(modified_at),
        "pubStatus": "usable",
        "language": settings.LANGUAGE_CODE,
        "headlines": [{"role": "main", "value": page.title}],
        "descriptions": [{"role": "summary", "value": page.standfirst}],
        "bodies": [_html_body(_body_html(page))],
        "by": " and ".join(author.name for author in authors),
        "people": _people(authors),
        "copyrightHolder": settings.WAGTAIL_SITE_NAME,
        "copyrightNotice": f"© {year} {settings.WAGTAIL_SITE_NAME}",
        "renditions": [{"name": "html", "href": links.page_url(page), "contentType": "text/html"}],
        "associations": [],
    }
    if page.located:
        item["located"] = page.located
    if corrections:
        item["edNote"] = " ".join(
            f"Correction ({links.iso(c.corrected_at)}): {c.text}" for c in corrections
        )
    if page.hero_image is not None:
        item["associations"].append(_picture(page.hero_image, name="lead image"))
    figures = [block.value for block in page.body if block.block_type == "image"]
    for number, figure in enumerate(figures, start=1):
        if figure["image"] is not None:
            item["associations"].append(
                _picture(figure["image"], name=f"figure {number}", caption=figure["caption"])
            )
    page_url = item["uri"]
    item["associations"] += [_live_entry(entry, page_url=page_url) for entry in entries or []]
    if not item["associations"]:
        del item["associations"]
    if not item["by"]:
        del item["by"], item["people"]
    return item
