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

    creator = models.CharField(
        max_length=255, blank=True, help_text="The photographer or artist (from IPTC/XMP)."
    )

    admin_form_fields = (*Image.admin_form_fields, "caption", "credit", "creator", "copyright")

    def save(self, *args, **kwargs) -> None:
        # On upload, fill empty fields from the file's IPTC/XMP; editors may change them after.
        if self._state.adding and self.file:
            self.fill_from_file_metadata()
        super().save(*args, **kwargs)

    def fill_from_file_metadata(self) -> None:
        from newsroom.photo_metadata import read_photo_metadata

        found = read_photo_metadata(self.file)
        self.caption = self.caption or found.caption
        self.creator = self.creator or found.creator
        self.credit = self.credit or found.credit
        self.copyright = self.copyright or found.copyright

    class Meta(AbstractImage.Meta):
        verbose_name = "image"


class NewsRendition(AbstractRendition):
    image = models.ForeignKey(NewsImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
