"""Readers search live articles from a labelled form."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from newsroom.tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _index_at_once(settings):
    """Wagtail indexes pages through the task queue; run its tasks at once, as a worker would."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _results(client, query: str, **params) -> list[str]:
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return [a.get_text(strip=True) for a in soup.select(".article-card__headline a")]


def test_search_finds_live_articles_by_headline_and_text(client):
    section = make_section()
    make_article(section=section, title="Grain ships leave Odesa")
    make_article(section=section, title="Markets steady")
    assert _results(client, "grain") == ["Grain ships leave Odesa"]
    # Both bodies say "Negotiators met for three hours."
    assert sorted(_results(client, "negotiators")) == ["Grain ships leave Odesa", "Markets steady"]


def test_search_leaves_out_unpublished_articles(client):
    article = make_article(title="Grain ships leave Odesa")
    article.unpublish()
    assert _results(client, "grain") == []


def test_search_form_is_labelled(client):
    soup = BeautifulSoup(client.get("/search/").content, "html.parser")
    field = soup.find("input", attrs={"name": "q"})
    assert soup.find("label", attrs={"for": field["id"]}).get_text(strip=True)
    assert soup.find("form", role="search")


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "-1"},
        {"page": "0"},
        {"page": "99999999"},
        {"page": "99999999999999999999999999"},
        {"page": ["1", "2"]},  # repeated
    ],
)
def test_odd_queries_and_pages_never_fail(client, params):
    make_article(title="Grain ships leave Odesa")
    assert client.get("/search/", {"q": "grain\x00<script>", **params}).status_code == 200


@pytest.mark.parametrize("query", ['"grain', 'grain "ships', '"', "\"'><svg onload=alert(1)>"])
def test_a_query_with_an_unmatched_double_quote_finds_what_its_words_find(client, query):
    """SQLite's full-text search reads a lone ``"`` as a string left open: the search was a
    500. The words either side of it are searched for, as any others."""
    make_article(title="Grain ships leave Odesa")
    expected = ["Grain ships leave Odesa"] if "grain" in query else []

    assert _results(client, query) == expected


@pytest.mark.parametrize("listing", ["/admin/pages/", "/admin/images/"])
def test_an_editors_search_of_an_admin_listing_with_a_double_quote_answers(
    client, django_user_model, listing
):
    """The admin's own searches run through the same backend: its page list and image library
    searched for ``"grain`` were a 500."""
    make_article(title="Grain ships leave Odesa")
    client.force_login(django_user_model.objects.create_superuser("ed", "ed@example.com", "pw"))

    response = client.get(listing, {"q": '"grain'})

    assert response.status_code == 200
