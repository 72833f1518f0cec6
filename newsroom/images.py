"""The newsroom's image model: every photo carries its caption, credit and copyright.

Alt text is Wagtail's ``description`` field (what the picture shows, for screen readers); the
caption says who and what is shown, and the credit names the maker. They are separate fields so
that the credit never leaks into the alt text.
"""

from __future__ import annotations

from django.db import models
from wagtail.images.models import AbstractImage, AbstractRendition, Image


class NewsImage(AbstractImage):
    caption = models.CharField(
        max_length=500, blank=True, help_text="Who and what is shown, and where."
    )
    credit = models.CharField(
        max_length=255,
        blank=True,
        help_text="Photographer and agency, shown as 'CREDIT: Name/Agency'.",
    )
    copyright = models.CharField(max_length=255, blank=True, help_text="Copyright notice.")

    admin_form_fields = (*Image.admin_form_fields, "caption", "credit", "copyright")

    class Meta(AbstractImage.Meta):
        verbose_name = "image"


class NewsRendition(AbstractRendition):
    image = models.ForeignKey(NewsImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
