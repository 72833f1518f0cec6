"""Newsroom pages: the home page, sections and articles, with their authors and images."""

from __future__ import annotations

from datetime import datetime
from functools import cache, partial
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, TitleFieldPanel
from wagtail.admin.widgets import AdminDateTimeInput
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageViewRestriction
from wagtail.search import index
from wagtail.snippets.models import register_snippet
from wagtail.url_routing import RouteResult

from core import pagecache
from core.middleware import RETRY_AFTER_SECONDS
from newsroom.blocks import ArticleBodyBlock
from newsroom.forms import ArticlePageForm, NewsroomCopyForm, NewsroomPageForm
from newsroom.images import NewsImage, NewsRendition  # noqa: F401  (models of this app)
from newsroom.page_addresses import KeptAddressCheck
from newsroom.routing import route_by_url_path

# A time an editor may leave empty: stamped when the change is published (Wagtail saves a live
# page's inline rows only then; a page not live keeps it empty until then, _stamp_if_going_live).
# The widget shows seconds, so saving the page again keeps the time as stamped, and two entries
# posted in one minute keep their order.
STAMPED_WHEN_PUBLISHED = "Leave empty to stamp it when published."


def _time_panel(name: str) -> FieldPanel:
    return FieldPanel(name, widget=AdminDateTimeInput(format="%Y-%m-%d %H:%M:%S"))


def _stamp(value: datetime | None) -> datetime:
    """``value``, or now to the whole second (what the widget shows, so it survives a save)."""
    return value if value is not None else timezone.now().replace(microsecond=0)


def _stamp_if_going_live(value: datetime | None, page) -> datetime | None:
    """``_stamp(value)`` when the row is saved with its page going live now; else ``value``.

    A page that is not live (a draft prepared before it first goes out, one submitted for
    review, one scheduled, one withdrawn to be fixed) has its inline rows saved with every draft,
    where a live page's wait for the publish. An empty time stays empty there, as the editor
    left it, and is stamped by the save that publishes the page: otherwise a live blog prepared
    at 9:00 and published at noon opened with an entry "posted" at 9:00.
    """
    if value is not None:
        return value
    go_live_at = page.go_live_at
    if not page.live or (go_live_at is not None and go_live_at > timezone.now()):
        return None
    return _stamp(None)


def with_times_for_preview(items: list, field: str) -> list:
    """``items`` with an empty ``field`` read as now: only a preview draws rows not yet saved,
    whose time is stamped when they are published. Changes nothing that is saved."""
    now = None
    for item in items:
        if getattr(item, field) is None:
            now = now or _stamp(None)
            setattr(item, field, now)
    return items


# The Promote tab's "For search engines" group alone: its "For site menus" box (Wagtail's "Show
# in menus") links only a section, from every page's header (newsroom.selectors.site_navigation);
# ticked on an article, a policy page or the front page, it did nothing.
PROMOTE_FOR_SEARCH_ENGINES = Page.promote_panels[:1]


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


class HomePage(KeptAddressCheck, Page):
    intro = models.TextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    promote_panels = PROMOTE_FOR_SEARCH_ENGINES
    subpage_types = ["newsroom.SectionPage", "newsroom.PolicyPage"]
    max_count = 1
    base_form_class = NewsroomPageForm
    copy_form_class = NewsroomCopyForm

    def route(self, request: HttpRequest, path_components: list[str]) -> RouteResult:
        """Every page of the site is routed from here: in one query where it can be."""
        found = route_by_url_path(self, request, path_components)
        return found if found is not None else super().route(request, path_components)

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from newsroom import links, structured_data
        from newsroom.selectors import article_list_latest, policy_urls

        context = super().get_context(request, *args, **kwargs)
        context["articles"] = article_list_latest(root=self, limit=30)
        policies = {kind: links.absolute(url) for kind, url in policy_urls(home=self).items()}
        context["policies"] = policies
        context["canonical_url"] = links.page_url(self)
        context["json_ld"] = structured_data.json_ld_script(
            structured_data.organization_json_ld(policies=policies)
        )
        return context


class SectionPage(KeptAddressCheck, Page):
    intro = models.TextField(blank=True)

    # Wagtail's "Show in menus" (the Promote tab) puts the section in every page's header
    # ("Sections", newsroom.selectors.site_navigation); a new section is shown unless the editor
    # unticks it.
    show_in_menus_default = True

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["newsroom.HomePage"]
    subpage_types = ["newsroom.ArticlePage", "newsroom.LiveBlogPage"]
    base_form_class = NewsroomPageForm  # no slug a fixed address answers (/api/, /feeds/)
    copy_form_class = NewsroomCopyForm  # nor a copy's

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from newsroom import links
        from newsroom.selectors import article_list_latest

        context = super().get_context(request, *args, **kwargs)
        context["articles"] = article_list_latest(root=self, limit=50)
        context["canonical_url"] = links.page_url(self)
        return context


@cache
def _no_view_restrictions():
    """An empty queryset of view restrictions, evaluated once: Wagtail's serve hook iterates it
    on every article view and comment POST, and a fresh ``none()`` is compiled each time it is
    iterated (75 µs of a POST's CPU); this one reads its empty result cache. Anything that
    filters or orders it gets a new, empty queryset as usual."""
    empty = PageViewRestriction.objects.none()
    list(empty)
    return empty


class ArticlePage(KeptAddressCheck, Page):
    """A news article. Its title is the headline; the reader thread renders beneath it."""

    # Set by newsroom.routing when the query that found this page showed that no view
    # restriction can apply to it (none on it or above it, and no alias on its path).
    no_view_restrictions = False

    def serve_password_required_response(self, request, form, action_url):
        """Wagtail's password page, drawn from the form alone: the article's own context would
        read its thread (and its headline and summary), none of which this reader may see."""
        template = self.password_required_template or settings.WAGTAIL_PASSWORD_REQUIRED_TEMPLATE
        context = {"page": self, "form": form, "action_url": action_url}
        return TemplateResponse(request, template, context)

    def get_view_restrictions(self):
        """Wagtail's, unless routing has just shown there can be none: then an empty queryset,
        without Wagtail's two queries (every article view that is not a cache hit, every
        comment POST)."""
        if self.no_view_restrictions:
            return _no_view_restrictions()
        return super().get_view_restrictions()

    standfirst = models.TextField(help_text="One sentence that sums up the story.")
    hero_image = models.ForeignKey(
        NewsImage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(ArticleBodyBlock(), use_json_field=True)
    located = models.CharField(
        max_length=120,
        blank=True,
        help_text="Where the story was reported from (the dateline), e.g. 'Kyiv'.",
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("standfirst"),
        index.SearchField("body"),
    ]
    content_panels = [
        # TitleFieldPanel, as Page's own: typing the headline of a new page fills in its slug.
        TitleFieldPanel("title", heading="Headline", placeholder="Headline*"),
        FieldPanel("standfirst"),
        MultiFieldPanel(
            [InlinePanel("article_authors", label="Author"), FieldPanel("located")],
            heading="Byline",
        ),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        InlinePanel(
            "corrections",
            label="Correction",
            heading="Corrections",
            help_text="A dated note shown at the foot of the article; it never rewrites history.",
        ),
    ]
    promote_panels = PROMOTE_FOR_SEARCH_ENGINES
    parent_page_types = ["newsroom.SectionPage"]
    subpage_types: list[str] = []
    base_form_class = ArticlePageForm  # no image without alt text is published
    copy_form_class = NewsroomCopyForm  # no slug a fixed address answers for a copy

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from discussion.views import thread_context
        from newsroom.page_meta import article_meta_context
        from newsroom.selectors import more_from_section

        context = super().get_context(request, *args, **kwargs)
        authors = [link.author for link in self.article_authors.select_related("author")]
        corrections = with_times_for_preview(list(self.corrections.all()), "corrected_at")
        context.update(thread_context(request, page=self, form=kwargs.get("comment_form")))
        context["authors"] = authors
        context["corrections"] = corrections
        context["more_from_section"] = more_from_section(
            request=request, section=self.get_parent(), article_id=self.pk
        )
        context.update(
            article_meta_context(
                page=self, authors=authors, corrections=corrections, thread=context["thread"]
            )
        )
        return context

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """GET shows the article; POST is a comment from the form beneath it.

        A valid comment answers with a redirect (or, for htmx, the new comment); an invalid one
        shows the article again with the reader's text kept in the form.
        """
        from discussion.views import comment_block_keys, comment_post

        status = 200
        form = None
        if request.method == "POST":
            outcome = comment_post(request, page=self)
            if isinstance(outcome, HttpResponse):
                return outcome
            form, status = outcome
        # An anonymous reader's GET may be kept by the page cache: read its version tokens
        # before any row, and leave the per-reader values as placeholders the cache fills in.
        deps = None
        if request.method == "GET" and pagecache.is_candidate(request):
            deps = pagecache.tokens(["site", pagecache.page_token(self.pk)])
        context = self.get_context(request, *args, comment_form=form, **kwargs)
        if request.method == "GET":
            # Drawn with the placeholder for every reader, so the comments drawn once for
            # everyone can be reused (comment_block_keys); the reader's own token goes in after.
            context["csrf_token"] = pagecache.csrf_placeholder()
            comment_block_keys(request, context)
        response = TemplateResponse(request, self.get_template(request), context, status=status)
        if status == 503:
            # The comment's rate limits could not be counted (Redis not answering): when to try
            # again, as every write refused for that reason says (core.middleware).
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        elif status == 429:
            # Over a rate limit: when it counts afresh, the wait the form's message says.
            response["Retry-After"] = str(form.retry_after)
        if deps is not None:
            return pagecache.mark(response, deps)
        if request.method == "GET":
            response.add_post_render_callback(partial(pagecache.fill_csrf_placeholder, request))
        return response


class ArticleAuthor(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="article_authors")
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("author")]


class Correction(Orderable):
    """A dated note that corrects a published article; shown at its foot and in its JSON-LD."""

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="corrections")
    corrected_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=f"When the correction was made (shown with the note). {STAMPED_WHEN_PUBLISHED}",
    )
    text = models.TextField(help_text="What was wrong and what is right now.")

    panels = [_time_panel("corrected_at"), FieldPanel("text")]

    class Meta(Orderable.Meta):
        ordering = ["corrected_at", "pk"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.corrected_at = _stamp_if_going_live(self.corrected_at, self.page)
        super().save(*args, **kwargs)


class PolicyPage(KeptAddressCheck, Page):
    """An editable standards page, such as the corrections or ethics policy.

    ``kind`` lets the site-wide NewsMediaOrganization structured data find the right page.
    """

    class Kind(models.TextChoices):
        CORRECTIONS = "corrections", "Corrections policy"
        ETHICS = "ethics", "Ethics policy"
        OTHER = "other", "Other policy"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    body = RichTextField(features=["h2", "bold", "italic", "link", "ol", "ul"])

    content_panels = [*Page.content_panels, FieldPanel("kind"), FieldPanel("body")]
    promote_panels = PROMOTE_FOR_SEARCH_ENGINES  # in the footer whatever the box says
    parent_page_types = ["newsroom.HomePage"]
    subpage_types: list[str] = []
    base_form_class = NewsroomPageForm  # no slug a fixed address answers (/api/, /feeds/)
    copy_form_class = NewsroomCopyForm  # nor a copy's

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from newsroom import links

        context = super().get_context(request, *args, **kwargs)
        context["canonical_url"] = links.page_url(self)
        return context


class LiveBlogPage(ArticlePage):
    """An article made of timestamped entries, newest first, for running stories.

    It is an ArticlePage (byline, lead image, summary, comments, corrections), so feeds,
    sitemaps, ninjs and search list it with no extra code; its entries are edited inline.
    """

    content_panels = [
        *ArticlePage.content_panels,
        InlinePanel("entries", label="Entry", heading="Live entries"),
    ]
    parent_page_types = ["newsroom.SectionPage"]
    subpage_types: list[str] = []

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from newsroom.live_blog import live_blog_context

        context = super().get_context(request, *args, **kwargs)
        context.update(live_blog_context(page=self, base_json_ld=context["json_ld_data"]))
        return context


class LiveBlogEntry(Orderable):
    page = ParentalKey(LiveBlogPage, on_delete=models.CASCADE, related_name="entries")
    posted_at = models.DateTimeField(null=True, blank=True, help_text=STAMPED_WHEN_PUBLISHED)
    headline = models.CharField(max_length=255, blank=True)
    body = RichTextField(features=["bold", "italic", "link", "ul"])
    author = models.ForeignKey(
        Author, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    image = models.ForeignKey(
        NewsImage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    panels = [
        _time_panel("posted_at"),
        FieldPanel("headline"),
        FieldPanel("body"),
        FieldPanel("author"),
        FieldPanel("image"),
    ]

    class Meta(Orderable.Meta):
        ordering = ["-posted_at", "-pk"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.posted_at = _stamp_if_going_live(self.posted_at, self.page)
        super().save(*args, **kwargs)

    @property
    def anchor(self) -> str:
        return f"entry-{self.pk}"
