"""Newsroom pages: the home page, sections and articles, with their authors and images."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from newsroom.blocks import ArticleBodyBlock
from newsroom.images import NewsImage, NewsRendition  # noqa: F401  (models of this app)


@register_snippet
class Author(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    bio = models.TextField(blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("bio")]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class HomePage(Page):
    intro = models.TextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["newsroom.SectionPage"]
    max_count = 1

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from newsroom.selectors import article_list_latest

        context = super().get_context(request, *args, **kwargs)
        context["articles"] = article_list_latest(root=self, limit=30)
        return context


class SectionPage(Page):
    intro = models.TextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["newsroom.HomePage"]
    subpage_types = ["newsroom.ArticlePage"]

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from newsroom.selectors import article_list_latest

        context = super().get_context(request, *args, **kwargs)
        context["articles"] = article_list_latest(root=self, limit=50)
        return context


class ArticlePage(Page):
    """A news article. Its title is the headline; the reader thread renders beneath it."""

    standfirst = models.TextField(help_text="One sentence that sums up the story.")
    hero_image = models.ForeignKey(
        NewsImage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(ArticleBodyBlock(), use_json_field=True)

    search_fields = [
        *Page.search_fields,
        index.SearchField("standfirst"),
        index.SearchField("body"),
    ]
    content_panels = [
        FieldPanel("title", heading="Headline"),
        FieldPanel("standfirst"),
        MultiFieldPanel([InlinePanel("article_authors", label="Author")], heading="Byline"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
    ]
    parent_page_types = ["newsroom.SectionPage"]
    subpage_types: list[str] = []

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from discussion.views import thread_context

        context = super().get_context(request, *args, **kwargs)
        context["authors"] = [link.author for link in self.article_authors.select_related("author")]
        context.update(thread_context(request, page=self, form=kwargs.get("comment_form")))
        return context

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """GET shows the article; POST is a comment from the form beneath it.

        A valid comment answers with a redirect (or, for htmx, the new comment); an invalid one
        shows the article again with the reader's text kept in the form.
        """
        from discussion.views import comment_post

        status = 200
        form = None
        if request.method == "POST":
            outcome = comment_post(request, page=self)
            if isinstance(outcome, HttpResponse):
                return outcome
            form, status = outcome
        context = self.get_context(request, *args, comment_form=form, **kwargs)
        return TemplateResponse(request, self.get_template(request), context, status=status)


class ArticleAuthor(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="article_authors")
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("author")]
