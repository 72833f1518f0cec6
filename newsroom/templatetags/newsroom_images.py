"""``{% figure_picture image lazy=... %}``: a figure's ``<picture>``, AVIF first when possible.

Browsers take the first ``<source>`` they read: AVIF (smallest), then WebP, then the JPEG
``<img>`` every browser shows. Whether AVIF is offered is decided once, by asking the installed
Pillow whether it can write AVIF; without that encoder figures are WebP and JPEG only, instead
of failing to render. The renditions are the ones Wagtail's ``{% picture %}`` tag would make for
the same filter specs, so either way they are cut once and reused.
"""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString
from PIL import features
from wagtail.images.models import Filter, Picture
from wagtail.images.shortcuts import get_renditions_or_not_found

register = template.Library()

AVIF_AVAILABLE = bool(features.check("avif"))
FORMATS = ("avif", "webp", "jpeg") if AVIF_AVAILABLE else ("webp", "jpeg")
WIDTHS = (480, 800, 1200)
SIZES = "(min-width: 50rem) 48rem, 100vw"
FILTER_SPECS = Filter.expand_spec(
    [f"format-{{{','.join(FORMATS)}}}", f"width-{{{','.join(map(str, WIDTHS))}}}"]
)


@register.simple_tag
def figure_picture(image, *, lazy: bool = False) -> SafeString:
    if not image:
        return SafeString("")
    renditions = get_renditions_or_not_found(image, FILTER_SPECS)
    attrs = {"sizes": SIZES, "alt": image.default_alt_text}
    if lazy:
        attrs["loading"] = "lazy"
    return Picture(renditions, attrs).__html__()
