"""RSS 2.0 and Atom feeds: the whole site, each section, each author, and an article's comments.

Each feed is a small ``django.contrib.syndication`` subclass; the Atom variant of each changes
the generator and names the site as the feed's author. Every item carries the standfirst as its
summary and the lead image's 16x9 crop as an enclosure. Only live, public pages appear, so an
embargoed article stays out until Wagtail publishes it.

An article feed says when it last changed (``Last-Modified``: when its newest article was last
published) and answers a feed reader's ``If-Modified-Since`` with 304 Not Modified, without
drawing the feed. The comments feed does not: a comment approved after review appears among
older ones with nothing newer, so no time could tell a reader holding the feed about it. Every
feed the page cache keeps also carries its ETag, and the cache itself answers ``If-None-Match``;
it answers ``If-Modified-Since`` too, by the ``Last-Modified`` of the copy it holds.
"""

from __future__ import annotations

import logging
import mimetypes
from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.views.decorators.http import condition
from wagtail.images.models import SourceImageIOError

from core import pagecache
from core.text import full_stop, xml_text
from newsroom import links, selectors
from newsroom.models import ArticlePage, Author, HomePage, SectionPage
from newsroom.page_meta import article_modified_at
from newsroom.structured_data import IMAGE_CROPS

FEED_LENGTH = 50
logger = logging.getLogger(__name__)
_ENCLOSURE_SPEC = IMAGE_CROPS["16x9"]


def _xml_text(value):
    """``value``, a string or a list of them, fit for XML (``core.text.xml_text``)."""
    if isinstance(value, str):
        return xml_text(value)
    if isinstance(value, list | tuple):
        return type(value)(_xml_text(item) for item in value)
    return value


class _XmlText:
    """A feed writer given only text XML can hold, whoever typed it: a reader's comment or
    name, an editor's headline.

    Django's writer raises on a character XML 1.0 cannot hold, so one comment with a vertical
    tab in it (pasted from Word) made its article's comments feed a 500 for every reader, and
    one such headline every feed that listed it.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **{name: _xml_text(value) for name, value in kwargs.items()})

    def add_item(self, *args, **kwargs) -> None:
        super().add_item(*args, **{name: _xml_text(value) for name, value in kwargs.items()})


_DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"


class RssFeed(_XmlText, Rss201rev2Feed):
    """RSS 2.0, with each of an item's ``author_names`` in a <dc:creator> of its own: RSS's own
    <author> is an email address, which a byline does not give."""

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        for name in item.get("author_names", ()):
            handler.addQuickElement("dc:creator", name, {"xmlns:dc": _DUBLIN_CORE})


class AtomFeed(_XmlText, Atom1Feed):
    """Atom, with each of an entry's ``author_names`` in an <author> of its own (RFC 4287: one
    Person construct per author), not one <name> that reads "A, B" as if it were one person."""

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        for name in item.get("author_names", ()):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.endElement("author")


class _KeptByPageCache:
    """A feed that anonymous readers (every feed reader) get from the page cache.

    The feed's version tokens are read before anything it lists, and the answer is marked with
    them (``core.pagecache``): a feed reader polling every few minutes costs a cache hit until an
    editor publishes, or, for a comments feed, until the thread changes.
    """

    def page_cache_tokens(self, kwargs: dict) -> list[str]:
        return ["site"]

    def __call__(self, request, *args, **kwargs):
        deps = (
            pagecache.tokens(self.page_cache_tokens(kwargs))
            if pagecache.is_candidate(request)
            else None
        )
        response = super().__call__(request, *args, **kwargs)
        if deps is not None and response.status_code == 200:
            pagecache.mark(response, deps)
        return response


class _AnswersConditionalGets:
    """A feed that a reader holding its latest copy is told is not modified (304, no body).

    ``last_changed(obj)`` is the feed's ``Last-Modified``, read before the feed is drawn, and only
    that: Django's ``Feed`` would otherwise send the newest date among the items it drew, and a
    reader would then be compared against a time other than the one it was given.
    """

    def last_changed(self, obj) -> datetime | None:
        raise NotImplementedError(
            f"{type(self).__name__} must say when its items last changed (last_changed)."
        )

    def __call__(self, request, *args, **kwargs):
        try:
            obj = self.get_object(request, *args, **kwargs)
        except ObjectDoesNotExist:
            raise Http404("Feed object does not exist.") from None

        @condition(last_modified_func=lambda request: self.last_changed(obj))
        def answer(request) -> HttpResponse:
            feedgen = self.get_feed(obj, request)
            response = HttpResponse(content_type=feedgen.content_type)
            feedgen.write(response, "utf-8")
            return response

        return answer(request)


class ArticleFeed(_KeptByPageCache, _AnswersConditionalGets, Feed):
    """The site's latest articles; subclasses narrow the list with :meth:`get_object`."""

    feed_type = RssFeed

    def get_object(self, request, *args, **kwargs):
        return None

    def last_changed(self, obj) -> datetime | None:
        # Every article is under the one home page.
        return selectors.article_feed_last_changed()

    def title(self, obj) -> str:
        return settings.WAGTAIL_SITE_NAME

    def description(self, obj) -> str:
        return f"The latest articles from {settings.WAGTAIL_SITE_NAME}."

    subtitle = description  # Atom's name for the description

    def link(self, obj) -> str:
        return links.absolute("/")

    def feed_url(self, obj) -> str:
        return links.absolute(reverse(self.url_name, kwargs=self.url_kwargs(obj)))

    url_name = "newsroom:site_feed_rss"

    def url_kwargs(self, obj) -> dict:
        return {}

    def items(self, obj) -> list:
        return _with_sections(
            selectors.article_list_for_feed(root=HomePage.objects.first(), limit=FEED_LENGTH)
        )

    def item_title(self, item) -> str:
        return item.title

    def item_description(self, item) -> str:
        # The summary is HTML to a feed reader (Atom's is type="html"); the standfirst is plain
        # text, so escaped, or a word in angle brackets would vanish and markup be drawn.
        return escape(item.standfirst)

    def item_link(self, item) -> str:
        return links.page_url(item)

    # Not the address, which changes with a renamed slug: an id of its own (links.feed_id).
    item_guid_is_permalink = False

    def item_guid(self, item) -> str:
        return links.feed_id(item)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return article_modified_at(item, list(item.corrections.all()))

    def item_extra_kwargs(self, item) -> dict:
        # The byline's authors in its order, each named on its own by the writer (RssFeed,
        # AtomFeed); an entry with none takes the feed's author in Atom (_AtomVariant).
        return {"author_names": [link.author.name for link in item.article_authors.all()]}

    def item_categories(self, item) -> list[str]:
        return [item.section_title] if item.section_title else []

    def item_enclosures(self, item) -> list:
        from django.utils.feedgenerator import Enclosure

        if item.hero_image is None:
            return []
        try:
            rendition = item.hero_image.get_rendition(_ENCLOSURE_SPEC)
        except SourceImageIOError:  # the original has gone from storage, and no crop was made
            logger.warning(
                "image %s has no original file; its enclosure is left out", item.hero_image.pk
            )
            return []
        mime = mimetypes.guess_type(rendition.file.name)[0] or "image/jpeg"
        try:
            length = rendition.file.size
        except OSError:  # a missing file must not take the whole feed down
            length = 0
        return [Enclosure(links.absolute(rendition.url), str(length), mime)]


def _with_sections(articles: list) -> list:
    """Name each article's section from one query (an article's parent is its section)."""
    titles = selectors.section_titles_by_path()
    for article in articles:
        article.section_title = titles.get(article.path[: -ArticlePage.steplen], "")
    return articles


class SectionFeed(ArticleFeed):
    url_name = "newsroom:section_feed_rss"

    def get_object(self, request, slug: str):
        return get_object_or_404(SectionPage.objects.live().public(), slug=slug)

    def url_kwargs(self, obj) -> dict:
        return {"slug": obj.slug}

    def title(self, obj) -> str:
        return f"{obj.title} — {settings.WAGTAIL_SITE_NAME}"

    def description(self, obj) -> str:
        return obj.intro or f"The latest {obj.title} articles."

    subtitle = description

    def link(self, obj) -> str:
        return links.page_url(obj)

    def items(self, obj) -> list:
        return _with_sections(selectors.article_list_for_feed(root=obj, limit=FEED_LENGTH))

    def last_changed(self, obj) -> datetime | None:
        return selectors.article_feed_last_changed(root=obj)


class AuthorFeed(ArticleFeed):
    url_name = "newsroom:author_feed_rss"

    def get_object(self, request, slug: str):
        return get_object_or_404(Author, slug=slug)

    def url_kwargs(self, obj) -> dict:
        return {"slug": obj.slug}

    def title(self, obj) -> str:
        return f"{obj.name} — {settings.WAGTAIL_SITE_NAME}"

    def description(self, obj) -> str:
        return obj.bio or full_stop(f"The latest articles by {obj.name}")

    subtitle = description

    def link(self, obj) -> str:
        return links.author_url(obj)

    def items(self, obj) -> list:
        return _with_sections(selectors.article_list_for_feed(author=obj, limit=FEED_LENGTH))

    def last_changed(self, obj) -> datetime | None:
        return selectors.article_feed_last_changed(author=obj)


class _AtomVariant:
    """The Atom form of an article feed.

    Atom (RFC 4287) requires an author for every entry, and an entry without one of its own
    (an article with no byline) takes the feed's: the feed names the publication.
    """

    feed_type = AtomFeed

    def author_name(self, obj) -> str:
        return settings.WAGTAIL_SITE_NAME


class SiteAtomFeed(_AtomVariant, ArticleFeed):
    url_name = "newsroom:site_feed_atom"


class SectionAtomFeed(_AtomVariant, SectionFeed):
    url_name = "newsroom:section_feed_atom"


class AuthorAtomFeed(_AtomVariant, AuthorFeed):
    url_name = "newsroom:author_feed_atom"


class CommentsFeed(_KeptByPageCache, Feed):
    """The latest published comments under one live article (RSS 2.0).

    Reader names and text are escaped by the feed writer; the text is the sanitised HTML made
    when the comment was written, so a feed reader that renders it runs nothing.
    """

    feed_type = RssFeed

    def page_cache_tokens(self, kwargs: dict) -> list[str]:
        # Every write to the article's thread (a comment, an edit, a moderator's removal)
        # bumps the page's token.
        return ["site", pagecache.page_token(kwargs["article_id"])]

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        # Django's Feed dates the answer by its newest comment; a comment approved after review
        # comes in among older ones, so that date could tell a reader holding the feed (asking
        # If-Modified-Since, of Django or of the page cache) that nothing changed. The ETag,
        # which follows the content, is what this feed is checked by.
        del response["Last-Modified"]
        return response

    def get_object(self, request, article_id: int):
        article = ArticlePage.objects.live().public().filter(pk=article_id).first()
        if article is None:
            raise Http404("No such article.")
        return article

    def title(self, obj) -> str:
        return f"Comments on {obj.title}"

    def description(self, obj) -> str:
        return f"The latest reader comments on “{obj.title}”."

    def link(self, obj) -> str:
        return f"{links.page_url(obj)}#comments"

    def feed_url(self, obj) -> str:
        return links.comments_feed_url(obj)

    def items(self, obj) -> list:
        return selectors.comments_latest(page_id=obj.pk, limit=FEED_LENGTH)

    def item_title(self, item) -> str:
        return f"Comment by {item.author_name}"

    def item_description(self, item) -> str:
        return item.html

    def item_link(self, item) -> str:
        return links.absolute(reverse("comment_permalink", kwargs={"comment_id": item.pk}))

    def item_author_name(self, item) -> str:
        return item.author_name

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.edited_at or item.created_at
