"""``{% figure_picture image lazy=... %}``: a figure's ``<picture>``, AVIF first when possible.

Browsers take the first ``<source>`` they read: AVIF (smallest), then WebP, then the JPEG
``<img>`` every browser shows. Whether AVIF is offered is decided once, by asking the installed
Pillow whether it can write AVIF; without that encoder figures are WebP and JPEG only, instead
of failing to render. The renditions are the ones Wagtail's ``{% picture %}`` tag would make for
the same filter specs, so either way they are cut once and reused.

A phone (a viewport of at most ``PHONE_MEDIA``) is offered the narrower widths alone, before the
rest: the browser picks from a ``srcset`` by screen pixels, so a 360 px phone at 3 pixels per CSS
pixel asked for the 1200 px picture a desktop gets (37 KB of AVIF for the reference article's
map, where the 800 px one is 21 KB), over the mobile network where every kilobyte waits. At 800
pixels across a phone's column (about 330 CSS px) the picture is still drawn at more than two
screen pixels to each CSS pixel, where a reader sees no difference.

Finding nine renditions costs about 3 ms (a cache read of nine objects, and Wagtail writing them
back), on every drawing of an article page (a miss after each new comment, every signed-in
reader's visit). The drawn ``<picture>`` is kept in this process's ``fragments`` cache under
everything it is drawn from: the image's id, file, file hash, size, focal point and alt text,
and the tag's own options. An image replaced or re-cropped has a new key; a drawing is kept for
at most ``PICTURE_KEEP_SECONDS``, so one whose renditions were purged by hand is drawn again
soon after.
"""

from __future__ import annotations

import hashlib

from django import template
from django.conf import settings
from django.core.cache import caches
from django.forms.utils import flatatt
from django.urls import get_script_prefix
from django.utils.safestring import SafeString
from PIL import features
from wagtail.images.models import Filter, Picture
from wagtail.images.shortcuts import get_renditions_or_not_found

register = template.Library()

AVIF_AVAILABLE = bool(features.check("avif"))
FORMATS = ("avif", "webp", "jpeg") if AVIF_AVAILABLE else ("webp", "jpeg")
WIDTHS = (480, 800, 1200)
SIZES = "(min-width: 50rem) 48rem, 100vw"
PHONE_MEDIA = "(max-width: 40em)"
PHONE_WIDTHS = (480, 800)
PICTURE_KEEP_SECONDS = 300
FILTER_SPECS = Filter.expand_spec(
    [f"format-{{{','.join(FORMATS)}}}", f"width-{{{','.join(map(str, WIDTHS))}}}"]
)


def _drawn_from(image, lazy: bool) -> str:
    drawn_from = repr(
        (
            "picture",
            image.pk,
            image.file.name,
            image.file_hash,
            image.width,
            image.height,
            image.focal_point_x,
            image.focal_point_y,
            image.focal_point_width,
            image.focal_point_height,
            image.default_alt_text,
            lazy,
            FILTER_SPECS,
            SIZES,
            PHONE_MEDIA,
            PHONE_WIDTHS,
            settings.MEDIA_URL,
            get_script_prefix(),  # a site under a path prefix links its media under it
        )
    )
    return "picture:" + hashlib.sha256(drawn_from.encode()).hexdigest()


@register.simple_tag
def figure_picture(image, *, lazy: bool = False) -> SafeString:
    if not image:
        return SafeString("")
    kept = caches["fragments"]
    key = _drawn_from(image, lazy)
    html = kept.get(key)
    if html is None:
        html = _draw(image, lazy)
        kept.set(key, html, PICTURE_KEEP_SECONDS)
    return SafeString(html)


def _draw(image, lazy: bool) -> str:
    renditions = get_renditions_or_not_found(image, FILTER_SPECS)
    attrs = {"sizes": SIZES, "alt": image.default_alt_text}
    if lazy:
        attrs["loading"] = "lazy"
    html = str(Picture(renditions, attrs).__html__())
    return html.replace("<picture>", "<picture>" + _phone_sources(renditions), 1)


def _phone_sources(renditions: dict) -> str:
    """One ``<source>`` per format, for phones: the ``PHONE_WIDTHS`` renditions of that format.
    The JPEG's is among them, so a phone that reads neither AVIF nor WebP is not given the
    ``<img>``'s full ``srcset`` either."""
    sources = []
    for file_format in Picture.source_format_order:
        if file_format.name not in FORMATS:
            continue
        narrow = [renditions[f"format-{file_format.name}|width-{width}"] for width in PHONE_WIDTHS]
        attrs = {
            "media": PHONE_MEDIA,
            "srcset": Picture.get_width_srcset(narrow),
            "sizes": SIZES,
            "type": file_format.mime_type,
        }
        sources.append(f"<source{flatatt(attrs)}>")
    return "".join(sources)
