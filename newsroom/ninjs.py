"""An article as IPTC ninjs 3.1 ("news in JSON"), the shape newsrooms exchange stories in.

The text item carries headline, summary, HTML body, byline, dateline (``located``) and
copyright; each picture (the lead image and every figure) is an association of type
``picture`` with its caption, credit, copyright and three crops as renditions. ninjs has no
caption field on a rendition, so captions and credits live on the picture association.
"""

from __future__ import annotations

import mimetypes
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.html import format_html, strip_tags

from newsroom import links
from newsroom.page_meta import article_modified_at
from newsroom.structured_data import lead_image_crops

PROFILE = "broadsheet-article"


def _body_html(page) -> str:
    """Paragraphs and block quotes as HTML; figures travel as associations, and pull quotes
    repeat a paragraph, so both are left out of the text."""
    parts = []
    for block in page.body:
        if block.block_type == "paragraph":
            parts.append(str(block.value))
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


def article_ninjs(*, page, authors: list, corrections: list) -> dict[str, Any]:
    modified_at = article_modified_at(page, corrections)
    body = _body_html(page)
    text = strip_tags(body)
    year = timezone.localtime(page.first_published_at or timezone.now()).year
    item: dict[str, Any] = {
        "uri": links.page_url(page),
        "type": "text",
        "representationType": "full",
        "profile": PROFILE,
        "version": str(page.live_revision_id or ""),
        "firstCreated": links.iso(page.first_published_at),
        "versionCreated": links.iso(modified_at),
        "pubStatus": "usable",
        "language": settings.LANGUAGE_CODE,
        "headlines": [{"role": "main", "value": page.title}],
        "descriptions": [{"role": "summary", "value": page.standfirst}],
        "bodies": [
            {
                "role": "main",
                "contentType": "text/html",
                "value": body,
                "charCount": len(text),
                "wordCount": len(text.split()),
            }
        ],
        "by": " and ".join(author.name for author in authors),
        "people": [
            {"name": author.name, "rel": "author", "uri": links.author_url(author)}
            for author in authors
        ],
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
    if not item["associations"]:
        del item["associations"]
    if not item["by"]:
        del item["by"], item["people"]
    return item
