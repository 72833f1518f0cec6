"""Newsroom pages for tests: a home page, a section and articles with real images."""

from __future__ import annotations

import itertools
from io import BytesIO

from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image
from wagtail.models import Page, Site

from newsroom.models import ArticleAuthor, ArticlePage, Author, HomePage, NewsImage, SectionPage

_counter = itertools.count(1)


def make_image(*, file_bytes: bytes | None = None, **fields) -> NewsImage:
    buffer = BytesIO(file_bytes or b"")
    if file_bytes is None:
        Image.new("RGB", (320, 180), (40, 90, 140)).save(buffer, "JPEG")
    defaults = {
        "title": "A test graphic",
        "description": "A blue rectangle standing in for a photo",
        "caption": "A test graphic shown in the article",
        "credit": "Test Maker/Test Agency",
        "copyright": "© Test",
    }
    defaults.update(fields)
    return NewsImage.objects.create(
        file=ImageFile(buffer, name=f"test-{next(_counter)}.jpg"), **defaults
    )


def remove_installer_pages() -> None:
    """Delete the "Welcome" page Wagtail's installer leaves under the root (the test database
    starts without it: the root conftest.py)."""
    root = Page.get_first_root_node()
    for page in root.get_children():
        if page.specific_class is Page:
            page.delete()


def newsroom_base_ensure() -> None:
    """What the test database starts with (the root conftest.py), rather than each test making
    it: the newsroom's home page in place of Wagtail's "Welcome" page, the default site on it,
    and the section of the articles whose test is not about their section. They were a third of
    ``make_article``'s time in a profile of 510 ordinary tests (docs/bench-history.md)."""
    remove_installer_pages()
    _live_section()


def default_section_remove() -> None:
    """For a test of which sections a site has (its header, its sitemap): the section every
    test starts with goes."""
    for section in SectionPage.objects.filter(slug=DEFAULT_SECTION_SLUG):
        section.delete()


def newsroom_base_remove() -> None:
    """For a test of what a site without a newsroom does (``load_demo`` on a new site): the
    home page, its section and the default site go, as a new site has none of them."""
    for home in HomePage.objects.all():
        home.delete()  # and its section, and the site rooted there


def make_home() -> HomePage:
    existing = HomePage.objects.first()
    if existing:
        return existing
    remove_installer_pages()  # gone already, unless a test put the installer's pages back
    home = Page.get_first_root_node().add_child(
        instance=HomePage(title="The Test Paper", slug="home")
    )
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home}
    )
    return home


def make_section(title: str = "World") -> SectionPage:
    home = make_home()
    section = home.add_child(instance=SectionPage(title=title, slug=f"section-{next(_counter)}"))
    section.save_revision().publish()
    return section


DEFAULT_SECTION_SLUG = "section-world"


def _live_section() -> SectionPage:
    """The live section of the articles whose test is not about their section, one for all of a
    test's articles: saved live at once, as a fixture or an import saves a page, without the
    revision and publishing an editor's section goes through (make_section). Those are about
    two thirds of a section's queries (71 against 23), and most tests make an article: on
    PostgreSQL, 73 ms a section against 24."""
    existing = SectionPage.objects.filter(slug=DEFAULT_SECTION_SLUG).first()
    if existing is not None:
        return existing
    now = timezone.now()
    section = SectionPage(
        title="World",
        slug=DEFAULT_SECTION_SLUG,
        live=True,
        first_published_at=now,
        last_published_at=now,
    )
    return make_home().add_child(instance=section)


def make_article(
    *, section: SectionPage | None = None, title: str = "Talks offer hope", **fields
) -> ArticlePage:
    section = section or _live_section()
    inline = make_image(caption="Inline caption", credit="Inline Maker/Agency")
    body = [
        {"type": "paragraph", "value": "<p>First paragraph of the report.</p>"},
        {"type": "paragraph", "value": "<p>Negotiators met for three hours.</p>"},
        {"type": "image", "value": {"image": inline.pk, "caption": ""}},
        {"type": "pull_quote", "value": "Negotiators met for three hours."},
        {
            "type": "block_quote",
            "value": {"quote": "Do not trust promises.", "attribution": "A leader"},
        },
    ]
    article = ArticlePage(
        title=title,
        slug=f"article-{next(_counter)}",
        standfirst="A one-sentence summary of the story.",
        hero_image=make_image(),
        body=body,
        **fields,
    )
    section.add_child(instance=article)
    author = Author.objects.create(name="Ann Writer", slug=f"ann-{next(_counter)}", bio="Writes.")
    ArticleAuthor.objects.create(page=article, author=author)
    article.save_revision().publish()
    article.refresh_from_db()
    return article
