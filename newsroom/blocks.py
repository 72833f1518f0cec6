"""StreamField blocks for an article body: paragraph, figure, pull quote and block quote."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock

from newsroom.images import alt_text_problem


class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    caption = blocks.CharBlock(
        required=False,
        help_text="Leave empty to use the image's own caption.",
    )

    class Meta:
        icon = "image"
        template = "newsroom/blocks/figure.html"

    def clean(self, value):
        """Refuse to publish a figure whose image has no alt text, saying so on its image.

        A draft may hold one (Wagtail defers this check when saving a draft or previewing), so
        an editor can save their work and fix the image meanwhile.
        """
        value = super().clean(value)
        image = value.get("image")
        problem = alt_text_problem(image) if image is not None else None
        if problem and not self.is_deferred_validation:
            raise StructBlockValidationError(block_errors={"image": ValidationError(problem)})
        return value


class PullQuoteBlock(blocks.TextBlock):
    """A sentence repeated from the body in large type; hidden from screen readers."""

    class Meta:
        icon = "openquote"
        template = "newsroom/blocks/pull_quote.html"
        help_text = "Repeat a sentence from the body. Screen readers skip it."


class BlockQuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False)

    class Meta:
        icon = "openquote"
        template = "newsroom/blocks/block_quote.html"


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(features=["bold", "italic", "link"])
    image = FigureBlock()
    pull_quote = PullQuoteBlock()
    block_quote = BlockQuoteBlock()
