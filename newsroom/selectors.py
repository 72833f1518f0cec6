"""Reads for newsroom pages."""

from __future__ import annotations

from wagtail.models import Page

from discussion.selectors import comment_counts_for_pages


def article_list_latest(*, root: Page, limit: int) -> list:
    """The latest live articles under ``root``, newest first, each with ``comment_count`` set."""
    from newsroom.models import ArticlePage

    articles = list(
        ArticlePage.objects.live()
        .descendant_of(root)
        .select_related("hero_image")
        .order_by("-first_published_at")[:limit]
    )
    counts = comment_counts_for_pages([article.pk for article in articles])
    for article in articles:
        article.comment_count = counts.get(article.pk, 0)
    return articles
