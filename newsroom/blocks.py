"""StreamField blocks for an article body: paragraph, figure, pull quote and block quote."""

from __future__ import annotations

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    caption = blocks.CharBlock(
        required=False,
        help_text="Leave empty to use the image's own caption.",
    )

    class Meta:
        icon = "image"
        template = "newsroom/blocks/figure.html"


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
