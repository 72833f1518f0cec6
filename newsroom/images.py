"""The newsroom's image model: every photo carries its alt text, caption, credit and copyright.

Alt text is Wagtail's ``description`` field (what the picture shows, for screen readers); the
caption says who and what is shown, and the credit names the maker. They are separate fields so
that the credit never leaks into the alt text.

A lead image must also be wide enough for the social card and search result it becomes
(``lead_image_problem``, ``LEAD_IMAGE_MIN_WIDTH``), checked when the article is published.

Alt text is required twice over. The image form in the admin will not save an image without it
(Wagtail's multiple upload then holds the file until it is given), and an article will not
publish with an image that has none (``alt_text_problem``, used by ``newsroom.forms`` and
``newsroom.blocks``): images uploaded before the rule, or made by code, may lack it. Such an
image still reads sensibly on a page: its alt text falls back to its caption.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from wagtail.images.models import AbstractImage, AbstractRendition, Image

from core import site_urls

# "CREDIT: Jane Doe/Reuters" typed in the credit field, which the figure already labels.
_CREDIT_LABEL = re.compile(r"\s*(credit\s*:)", re.IGNORECASE)


def alt_text_problem(image: NewsImage) -> str | None:
    """What an editor must fix before publishing ``image`` in an article, or None."""
    if image.description.strip():
        return None
    return (
        f"The image “{image.title}” has no alt text. Open it under Images and describe what it "
        "shows for readers who cannot see it, then publish."
    )


def lead_image_problem(image: NewsImage) -> str | None:
    """Why ``image`` may not be published as an article's lead image, or None.

    The lead image's 16x9 crop is the page's ``og:image`` and its ``NewsArticle`` image, at
    1600x900 (docs/formats.md); Wagtail never enlarges, so a narrower original gives a smaller
    card, and below ``LEAD_IMAGE_MIN_WIDTH`` (search engines ask for 1200) one too small to use.
    """
    least = settings.LEAD_IMAGE_MIN_WIDTH
    if not least or image.width >= least:
        return None
    return (
        f"The image “{image.title}” is {image.width:,} pixels wide; a lead image must be at "
        f"least {least:,} pixels wide, because it is the picture shown when the article is "
        "shared and in search results. Choose a wider image, or upload a larger copy of this one."
    )


def article_image_problems(page) -> list[str]:
    """What must be fixed before ``page``'s latest revision may be published: the lead image,
    the figures in the body and a live blog's entry images, each without alt text, and a lead
    image too narrow. For the ways an article is published without its edit form: the page
    listing's bulk Publish (``newsroom.wagtail_hooks``) and a reviewer's Approve
    (``newsroom.article_approval``)."""
    from newsroom.models import ArticlePage, LiveBlogPage

    page = page.get_latest_revision_as_object()
    if not isinstance(page, ArticlePage):
        return []
    images = [page.hero_image]
    images += [block.value.get("image") for block in page.body if block.block_type == "image"]
    if isinstance(page, LiveBlogPage):
        images += [entry.image for entry in page.entries.all()]
    problems = []
    for image in images:
        problem = alt_text_problem(image) if image is not None else None
        if problem and problem not in problems:
            problems.append(problem)
    if page.hero_image is not None and (problem := lead_image_problem(page.hero_image)):
        problems.append(problem)
    return problems


class NewsImage(AbstractImage):
    # Wagtail's field, required here and named for what it is.
    description = models.CharField(
        max_length=255,
        default="",
        verbose_name="alt text",
        help_text="What the picture shows, for readers who cannot see it; screen readers read "
        "it aloud. Describe what is in it, not who took it (that is the credit).",
    )
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

    def clean(self) -> None:
        super().clean()
        typed = _CREDIT_LABEL.match(self.credit)
        if typed:
            raise ValidationError(
                {
                    "credit": f"Leave out “{typed[1]}”: each figure puts “CREDIT:” before the "
                    "credit. Type the name and agency alone, such as Jane Doe/Reuters."
                }
            )

    @property
    def default_alt_text(self) -> str:
        # An image from before alt text was required may have none: its caption says what it
        # shows far better than its title (often the file's name) would, and an empty alt would
        # hide the picture from screen readers altogether.
        return self.description.strip() or self.caption.strip() or self.title

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

    @property
    def full_url(self) -> str:
        """The rendition's absolute address, under SITE_BASE_URL's path prefix once, in a request
        or outside one (core.site_urls). Wagtail's put WAGTAILADMIN_BASE_URL in front of ``url``,
        which names the request's prefix when there is one (core.storages)."""
        return site_urls.site_url(self.url)

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
