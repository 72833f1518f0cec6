"""How hard the AVIF encoder works on an image's renditions (``IMAGE_AVIF_SPEED``).

Article pages offer every picture as AVIF first (newsroom_images), and Wagtail makes a
picture's renditions the first time a page shows it: an editor's preview, or the first reader
after publishing. Pillow's AVIF encoder works at speed 6 unless told otherwise, and Wagtail
(through Willow) never tells it: measured on the demo's pictures, 1.4 s of CPU for one 1200-pixel
rendition, about 2 s a picture for its three widths, so an article with six pictures held its
first reader for over ten seconds. Speed 8 made the same renditions in a fifth of the CPU and
10% larger (still smaller than the WebP beside them).

Pillow's registry of savers is how its format plugins plug in; the AVIF saver is wrapped once,
at start-up, to give the speed when a caller has not asked for one.
"""

from __future__ import annotations

from typing import IO, Any

from django.conf import settings
from PIL import Image, features


def speed_set() -> None:
    """Give Pillow's AVIF savers (one image, and every frame) ``IMAGE_AVIF_SPEED`` by default."""
    if not features.check("avif"):
        return
    from PIL import AvifImagePlugin  # noqa: F401  (registers the savers wrapped here)

    for registry in (Image.SAVE, Image.SAVE_ALL):
        saver = registry.get("AVIF")
        if saver is None or getattr(saver, "gives_speed", False):
            continue
        registry["AVIF"] = _with_speed(saver)


def _with_speed(saver: Any) -> Any:
    def save(image: Image.Image, fp: IO[bytes], filename: str | bytes, *args, **kwargs) -> None:
        image.encoderinfo = {"speed": settings.IMAGE_AVIF_SPEED, **image.encoderinfo}
        return saver(image, fp, filename, *args, **kwargs)

    save.gives_speed = True
    return save
