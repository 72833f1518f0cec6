"""``{% figure_picture image lazy=... %}``: a figure's ``<picture>``, AVIF first when possible.

Browsers take the first ``<source>`` they read: AVIF (smallest), then WebP, then the JPEG
``<img>`` every browser shows. Whether AVIF is offered is decided once, by asking the installed
Pillow whether it can write AVIF; without that encoder figures are WebP and JPEG only, instead
of failing to render. The renditions are the ones Wagtail's ``{% picture %}`` tag would make for
the same filter specs, so either way they are cut once and reused.

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
    return str(Picture(renditions, attrs).__html__())
