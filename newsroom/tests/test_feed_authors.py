"""An article with several authors names each of them on its own in the feeds: in Atom, one
<author> with its <name> for each (RFC 4287 §4.2.1), in RSS one <dc:creator> each (RSS 2.0's
<author> is an email address), in byline order, where both had one element naming "Ann Writer,
Bo Reporter" as if that were one person."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from newsroom.models import ArticleAuthor, Author
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"


def _with_second_author(article):
    # The byline's order, as the admin's inline panel saves it (the factory's author has none).
    article.article_authors.update(sort_order=0)
    author = Author.objects.create(name="Bo Reporter", slug="bo-reporter")
    ArticleAuthor.objects.create(page=article, author=author, sort_order=1)
    article.save_revision().publish()
    return author


def _xml(client, url: str) -> ElementTree.Element:
    response = client.get(url)
    assert response.status_code == 200
    return ElementTree.fromstring(response.content)  # noqa: S314 - our own response


@pytest.mark.parametrize("url", ["/feeds/atom/", "/feeds/atom/author/bo-reporter/"])
def test_an_atom_entry_has_one_author_element_per_author(client, url):
    _with_second_author(make_article())

    (entry,) = _xml(client, url).iter(f"{ATOM}entry")

    authors = entry.findall(f"{ATOM}author")
    assert [author.findtext(f"{ATOM}name") for author in authors] == ["Ann Writer", "Bo Reporter"]


def test_an_rss_item_has_one_creator_per_author(client):
    _with_second_author(make_article())

    (item,) = _xml(client, "/feeds/rss/").iter("item")

    assert [creator.text for creator in item.findall(f"{DC}creator")] == [
        "Ann Writer",
        "Bo Reporter",
    ]
    assert item.find("author") is None
