"""schema.org JSON-LD for articles and for the publication itself.

Search engines read one ``NewsArticle`` per article and one ``NewsMediaOrganization`` for the
site. The JSON goes inside ``<script type="application/ld+json">``, where an HTML parser ends the
element at the first ``</script`` whatever the JSON says; :func:`json_ld_script` therefore escapes
``<``, ``>`` and ``&`` as JSON unicode escapes (the same rule as Django's ``json_script``), which
JSON readers decode back to the same text.
"""

from __future__ import annotations

import json
import logging
from html import unescape
from typing import Any

from django.conf import settings
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString
from wagtail.images.models import SourceImageIOError

from newsroom import links

# Google asks for three crops of the lead image so each surface can pick its shape.
IMAGE_CROPS = {"16x9": "fill-1600x900", "4x3": "fill-1200x900", "1x1": "fill-1200x1200"}

_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}

logger = logging.getLogger(__name__)


def json_ld_script(data: dict[str, Any]) -> SafeString:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return format_html(
        '<script type="application/ld+json">{}</script>',
        SafeString(text.translate(_SCRIPT_ESCAPES)),
    )


def plain_text(html: str) -> str:
    """What a reader reads of ``html``: no tags, and ``&#x27;`` as the ``'`` it stands for.

    JSON is read as text, so an entity left in it would show as ``&#x27;`` in a search result.
    """
    return unescape(strip_tags(html))


def organization_id() -> str:
    return links.absolute("/#organization")


def publisher() -> dict[str, Any]:
    return {
        "@type": "NewsMediaOrganization",
        "@id": organization_id(),
        "name": settings.WAGTAIL_SITE_NAME,
        "url": links.absolute("/"),
        "logo": {
            "@type": "ImageObject",
            "url": links.logo_url(),
            "width": links.LOGO_SIZE[0],
            "height": links.LOGO_SIZE[1],
        },
    }


def _publication_as_author() -> dict[str, Any]:
    """The publisher named as a story's author: the same organisation (``@id``), unrepeated."""
    return {
        "@type": "NewsMediaOrganization",
        "@id": organization_id(),
        "name": settings.WAGTAIL_SITE_NAME,
        "url": links.absolute("/"),
    }


def organization_json_ld(*, policies: dict[str, str]) -> dict[str, Any]:
    """The publication, with its standards pages (``policies`` maps a PolicyPage kind to a URL)."""
    data = {"@context": "https://schema.org", **publisher()}
    if "corrections" in policies:
        data["correctionsPolicy"] = policies["corrections"]
    if "ethics" in policies:
        data["ethicsPolicy"] = policies["ethics"]
        data["publishingPrinciples"] = policies["ethics"]
    return data


def author_profile_json_ld(*, author, url: str) -> dict[str, Any]:
    """An author's page as a ``ProfilePage`` about the ``Person``, who works for the publisher."""
    person: dict[str, Any] = {
        "@type": "Person",
        "@id": f"{url}#person",
        "name": author.name,
        "url": url,
        "worksFor": publisher(),
    }
    if author.bio:
        person["description"] = author.bio
    return {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "url": url,
        "mainEntity": person,
    }


def lead_image_crops(image) -> dict[str, Any]:
    """The three crops of ``image`` keyed by ratio (renditions made once, then reused).

    Empty when the original file has gone from storage: the article, its metadata and its ninjs
    still answer, without crops, instead of failing with a server error.
    """
    try:
        renditions = image.get_renditions(*IMAGE_CROPS.values())
    except SourceImageIOError:
        logger.warning("image %s has no original file; its crops are left out", image.pk)
        return {}
    return {ratio: renditions[spec] for ratio, spec in IMAGE_CROPS.items()}


def image_rights(image) -> dict[str, Any]:
    """Who to credit for ``image`` and who holds its rights, as an ``ImageObject``'s properties.

    ``creditText`` is the credit the page's caption shows ("CREDIT: Name/Agency"); the creator
    and the copyright notice come along when the image has them (Google Images shows all three).
    """
    rights: dict[str, Any] = {}
    if image.credit:
        rights["creditText"] = image.credit
    if image.creator:
        rights["creator"] = {"@type": "Person", "name": image.creator}
    if image.copyright:
        rights["copyrightNotice"] = image.copyright
    return rights


def article_json_ld(
    *,
    page,
    authors: list,
    corrections: list,
    comment_count: int,
    crops: dict[str, Any],
    modified_at,
) -> dict[str, Any]:
    url = links.page_url(page)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": f"{url}#article",
        "mainEntityOfPage": url,
        "url": url,
        "headline": page.title,
        "description": page.standfirst,
        "datePublished": links.iso(page.first_published_at),
        "dateModified": links.iso(modified_at),
        # A story without a byline is the publication's own (as its Atom entry says): Google
        # reads an empty list as no author.
        "author": [
            {"@type": "Person", "name": author.name, "url": links.author_url(author)}
            for author in authors
        ]
        or [_publication_as_author()],
        "publisher": publisher(),
        "commentCount": comment_count,
        "discussionUrl": f"{url}#comments",
        "isAccessibleForFree": True,
    }
    section = page.get_parent()
    if section is not None:
        data["articleSection"] = section.title
    if crops:
        rights = image_rights(page.hero_image)
        data["image"] = [
            {
                "@type": "ImageObject",
                "url": links.absolute(rendition.url),
                "width": rendition.width,
                "height": rendition.height,
                **rights,
            }
            for rendition in crops.values()
        ]
    if page.located:
        data["dateline"] = page.located
    if corrections:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": correction.text,
                "datePublished": links.iso(correction.corrected_at),
            }
            for correction in corrections
        ]
    return data
