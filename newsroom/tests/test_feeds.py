"""RSS and Atom feeds, read back with feedparser as a feed reader would."""

from __future__ import annotations

from xml.etree import ElementTree

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.urls import clear_script_prefix, set_script_prefix

from discussion.models import Comment
from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from newsroom.models import ArticleAuthor, ArticlePage, SectionPage
from newsroom.tests.factories import make_article, make_home, make_section

pytestmark = pytest.mark.django_db

BASE = "https://news.example"


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.SITE_BASE_URL = BASE


def _parse(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, f"{url}: {feed.get('bozo_exception')}"
    return feed


@pytest.mark.parametrize(("url", "version"), [("/feeds/rss/", "rss20"), ("/feeds/atom/", "atom10")])
def test_site_feed_lists_articles_with_summary_and_image_enclosure(client, url, version):
    article = make_article(title="Ceasefire talks resume")
    feed = _parse(client, url)
    assert feed.version == version
    (entry,) = feed.entries
    assert entry.title == "Ceasefire talks resume"
    assert entry.link == f"{BASE}{article.url}"
    assert entry.summary == "A one-sentence summary of the story."
    assert entry.author == "Ann Writer"
    assert entry.tags[0].term == "World"
    (enclosure,) = entry.enclosures
    assert enclosure.href.startswith(f"{BASE}/media/")
    assert enclosure.type == "image/jpeg"
    assert int(enclosure.length) > 0


def test_a_site_served_under_a_path_prefix_links_its_feed_entries_once_under_it(client, settings):
    """SITE_BASE_URL ends in the prefix (docs/deploy.md); a feed reader following an entry
    reaches /news/<article>/, not /news/news/<article>/."""
    settings.SITE_BASE_URL = f"{BASE}/news"
    article = make_article()
    path = article.url

    # What Django's WSGI handler does with a request's SCRIPT_NAME (the test client does not).
    set_script_prefix("/news/")
    try:
        response = client.get("/feeds/rss/", SCRIPT_NAME="/news")
    finally:
        clear_script_prefix()
    feed = feedparser.parse(response.content)

    (entry,) = feed.entries
    assert entry.link == f"{BASE}/news{path}"


def test_site_feed_holds_the_latest_fifty_newest_first(client):
    section = make_section()
    for n in range(52):
        make_article(section=section, title=f"Story {n}")
    feed = _parse(client, "/feeds/rss/")
    assert len(feed.entries) == 50
    assert feed.entries[0].title == "Story 51"


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_section_and_author_feeds_list_only_their_own_articles(client, kind):
    world, business = make_section("World"), make_section("Business")
    ours = make_article(section=world, title="World story")
    make_article(section=business, title="Business story")
    author = ours.article_authors.get().author

    section_feed = _parse(client, f"/feeds/{kind}/section/{world.slug}/")
    assert [entry.title for entry in section_feed.entries] == ["World story"]
    author_feed = _parse(client, f"/feeds/{kind}/author/{author.slug}/")
    assert [entry.title for entry in author_feed.entries] == ["World story"]


ATOM = "{http://www.w3.org/2005/Atom}"


def _atom_feed_author_names(client, url: str) -> list[str]:
    """The names in the feed's own <author> elements (not its entries'), read as XML."""
    response = client.get(url)
    assert response.status_code == 200, url
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own response
    return [author.findtext(f"{ATOM}name") for author in root.findall(f"{ATOM}author")]


def test_an_atom_entry_without_a_byline_takes_the_sites_name_as_its_author(client, settings):
    # RFC 4287: an entry with no <author> of its own must inherit the feed's.
    article = make_article(title="From the desk")
    ArticleAuthor.objects.filter(page=article).delete()

    assert _atom_feed_author_names(client, "/feeds/atom/") == [settings.WAGTAIL_SITE_NAME]


@pytest.mark.parametrize("feed", ["section", "author"])
def test_section_and_author_atom_feeds_name_the_site_as_their_author(client, settings, feed):
    article = make_article()
    slug = (
        article.get_parent().slug
        if feed == "section"
        else article.article_authors.get().author.slug
    )

    names = _atom_feed_author_names(client, f"/feeds/atom/{feed}/{slug}/")

    assert names == [settings.WAGTAIL_SITE_NAME]


def test_unknown_section_or_author_feed_is_404(client):
    assert client.get("/feeds/rss/section/no-such-section/").status_code == 404
    assert client.get("/feeds/atom/author/nobody/").status_code == 404


def test_comments_feed_escapes_reader_names_and_text(client):
    article = make_article()
    thread = thread_ensure(page=article)
    make_comment(thread, "Plain and fair.", name="Alice")
    make_comment(thread, "<script>alert(1)</script> **bold**", name='"><svg onload=alert(1)>')
    feed = _parse(client, f"/feeds/comments/{article.pk}/")

    assert [entry.author for entry in feed.entries] == ['"><svg onload=alert(1)>', "Alice"]
    hostile = feed.entries[0]
    assert "<script" not in hostile.summary
    assert "<strong>bold</strong>" in hostile.summary
    assert hostile.link.startswith(f"{BASE}/c/")


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/"])
def test_a_standfirst_reads_in_a_feed_reader_as_the_editor_typed_it(client, url):
    # The summary is HTML to a feed reader (Atom says type="html"); the standfirst is plain
    # text, so a tag-like word in it vanished, and markup in it was drawn.
    standfirst = 'Why the "<Directive>" & <em>other</em> rules < 5 years old matter.'
    ArticlePage.objects.filter(pk=make_article().pk).update(standfirst=standfirst)

    (entry,) = _parse(client, url).entries

    summary = BeautifulSoup(entry.summary, "html.parser")
    assert (summary.get_text(), summary.find("em")) == (standfirst, None)


def test_a_comment_with_a_control_character_leaves_its_feed_readable(client):
    # A vertical tab is how Word's line break comes out of its clipboard as text; XML 1.0 can
    # hold no such character, and Django's feed writer raised on it: a 500 for every reader.
    article = make_article()
    thread = thread_ensure(page=article)
    comment = make_comment(thread, "First line\x0bsecond line, and a bell\x07 too.", name="Alice")
    # Drawn as comments were before control characters left them (discussion.rendering): the
    # comments saved then still are.
    Comment.objects.filter(pk=comment.pk).update(
        html="<p>First line\x0bsecond line, and a bell\x07 too.</p>"
    )

    feed = _parse(client, f"/feeds/comments/{article.pk}/")

    (entry,) = feed.entries
    assert entry.summary == "<p>First line second line, and a bell too.</p>"


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/"])
def test_a_headline_with_a_control_character_leaves_the_site_feeds_readable(client, url):
    make_article(title="Talks\x0bresume\x1b in Istanbul")

    feed = _parse(client, url)

    assert [entry.title for entry in feed.entries] == ["Talks resume in Istanbul"]


def test_pages_link_their_feeds_with_absolute_rel_alternate_links(client):
    article = make_article()
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    feeds = {link["href"] for link in soup.find_all("link", rel="alternate")}
    site_feeds = {f"{BASE}/feeds/rss/", f"{BASE}/feeds/atom/"}
    assert site_feeds | {f"{BASE}/feeds/comments/{article.pk}/"} <= feeds
    section = article.get_parent()
    section_page = BeautifulSoup(client.get(section.url).content, "html.parser")
    section_feeds = {link["href"] for link in section_page.find_all("link", rel="alternate")}
    assert section_feeds == site_feeds | {
        f"{BASE}/feeds/rss/section/{section.slug}/",
        f"{BASE}/feeds/atom/section/{section.slug}/",
    }
    home = BeautifulSoup(client.get("/").content, "html.parser")
    atom = home.find("link", rel="alternate", type="application/atom+xml")["href"]
    assert atom == f"{BASE}/feeds/atom/"


@pytest.mark.django_db
def test_the_address_feed_readers_guess_leads_to_the_site_feed(client):
    response = client.get("/feed/")

    assert (response.status_code, response["Location"]) == (301, "/feeds/rss/")


def test_a_section_whose_slug_is_not_ascii_shows_and_links_its_feeds(client):
    # Wagtail makes "новини" of a section titled "Новини" (WAGTAIL_ALLOW_UNICODE_SLUGS is on by
    # default); the section page was a 500 (its feed links could not be reversed) and its feeds
    # were 404.
    section = make_home().add_child(instance=SectionPage(title="Новини", slug="новини"))
    section.save_revision().publish()
    make_article(section=section, title="Переговори в Стамбулі")

    page = client.get(section.url)

    assert page.status_code == 200
    soup = BeautifulSoup(page.content, "html.parser")
    feeds = {link["href"] for link in soup.find_all("link", rel="alternate")}
    quoted = "%D0%BD%D0%BE%D0%B2%D0%B8%D0%BD%D0%B8"
    assert {f"{BASE}/feeds/rss/section/{quoted}/", f"{BASE}/feeds/atom/section/{quoted}/"} <= feeds
    for kind in ("rss", "atom"):
        feed = _parse(client, f"/feeds/{kind}/section/{quoted}/")
        assert [entry.title for entry in feed.entries] == ["Переговори в Стамбулі"]
        assert feed.feed.links[-1].href.endswith(f"/feeds/{kind}/section/{quoted}/")


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/"])
def test_an_article_whose_image_file_is_gone_leaves_the_feed_up_without_its_enclosure(client, url):
    # Its page and ninjs already answered without the crops; every feed listing it was a 500.
    gone = make_article(title="Photo lost")
    kept = make_article(title="Photo kept")
    gone.hero_image.file.storage.delete(gone.hero_image.file.name)
    gone.hero_image.renditions.all().delete()

    feed = _parse(client, url)

    entries = {entry.title: entry for entry in feed.entries}
    assert set(entries) == {"Photo lost", "Photo kept"}
    assert not entries["Photo lost"].get("enclosures")
    assert len(entries["Photo kept"].enclosures) == 1
    assert (
        kept.hero_image.file.name.split("/")[-1].split(".")[0]
        in entries["Photo kept"].enclosures[0].href
    )


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/"])
def test_an_articles_feed_id_stays_when_its_address_changes(client, url):
    """The address was the entry's id (RSS guid, Atom id), so renaming a story's slug made every
    feed reader show it again as a new story; RFC 4287 has an entry's id never change."""
    article = make_article(title="Ceasefire talks resume")
    before = _parse(client, url).entries[0]

    article.slug = "ceasefire-talks-resume-in-istanbul"
    article.save_revision().publish()
    after = _parse(client, url).entries[0]

    assert after.link.endswith("/ceasefire-talks-resume-in-istanbul/") and after.link != before.link
    assert after.id == before.id
    assert after.id.startswith("tag:news.example,")
    assert not after.get("guidislink")
