"""A page URL is routed in one lookup of the page tree, answering as Wagtail's walk does."""

from __future__ import annotations

import time

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult

from core import pagecache
from newsroom.models import ArticlePage, HomePage, SectionPage
from newsroom.tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def _route(url: str) -> RouteResult | None:
    request = RequestFactory().get(url, HTTP_HOST="localhost")
    return Page.route_for_request(request, url)


def _heading(response) -> str:
    return BeautifulSoup(response.content, "html.parser").h1.get_text(strip=True)


def test_an_article_url_is_routed_in_four_queries_with_its_section_known(
    django_assert_num_queries,
):
    article = make_article()
    url = article.url

    # The site, its home page, the article and its section in one lookup, the article's fields.
    with django_assert_num_queries(4):
        page, _args, _kwargs = _route(url)
        section = page.get_parent()

    assert page.specific_class is type(page) and page.pk == article.pk
    assert section.pk == article.get_parent().pk


def test_a_section_url_is_routed_to_the_section(client):
    section = make_section(title="Business")

    response = client.get(section.url)

    assert response.status_code == 200
    assert _heading(response) == "Business"


def test_an_unpublished_article_is_not_found(client):
    article = make_article()
    url = article.url
    article.unpublish()

    assert client.get(url).status_code == 404


def test_an_unknown_slug_under_a_real_section_is_not_found(client):
    article = make_article()

    assert client.get(f"{article.get_parent().url}no-such-story/").status_code == 404


def test_a_page_type_that_routes_its_own_paths_is_still_asked(client, monkeypatch):
    """A section type that answers the paths beneath it (as RoutablePageMixin pages do) keeps
    doing so, even for a path that is also an article's URL."""
    article = make_article(section=make_section(title="Diplomacy"))

    def route(self, request, path_components):
        return RouteResult(self)  # this section shows its own page for every path beneath it

    monkeypatch.setattr(SectionPage, "route", route)
    response = client.get(article.url)

    assert response.status_code == 200
    assert _heading(response) == "Diplomacy"


def _second_site(hostname: str) -> ArticlePage:
    """A second newspaper on its own host: its own home page, section and article."""
    home = Page.get_first_root_node().add_child(instance=HomePage(title="Second", slug="home-2"))
    Site.objects.create(hostname=hostname, port=80, root_page=home)
    section = home.add_child(instance=SectionPage(title="Local", slug="local"))
    section.save_revision().publish()
    article = make_article(section=section, title="A story of the second paper")
    return article


@pytest.fixture
def hosts(settings):
    settings.ALLOWED_HOSTS = ["localhost", "second.example", "other.example"]


def test_each_host_is_served_its_own_sites_pages(client, hosts, django_capture_on_commit_callbacks):
    make_article()  # the default site, on localhost
    client.get("/", HTTP_HOST="localhost")  # the list of sites is cached now
    with django_capture_on_commit_callbacks(execute=True):
        second = _second_site("second.example")
    path = "/local/" + second.slug + "/"

    on_second = client.get(path, HTTP_HOST="second.example")
    on_default = client.get(path, HTTP_HOST="localhost")

    assert on_second.status_code == 200
    assert _heading(on_second) == "A story of the second paper"
    assert on_default.status_code == 404


def test_a_host_no_site_claims_is_served_the_default_site(client, hosts):
    article = make_article(title="On the default site")

    response = client.get(article.url, HTTP_HOST="other.example")

    assert response.status_code == 200
    assert _heading(response) == "On the default site"


def test_an_article_page_is_routed_without_reading_the_sites_table(client):
    article = make_article()
    client.get(article.url)  # the list of sites is cached now
    with CaptureQueriesContext(connection) as queries:
        assert client.get(article.url).status_code == 200

    assert not [q for q in queries.captured_queries if '"wagtailcore_site"' in q["sql"]]


def _routing_queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return [q["sql"] for q in queries.captured_queries if '"wagtailcore_page"' in q["sql"]]


def test_a_page_routed_once_is_routed_again_without_reading_the_page_tree(client):
    article = make_article()
    client.get(article.url)

    assert _routing_queries(client, article.url) == []
    assert _heading(client.get(article.url)) == "Talks offer hope"


def test_an_article_unpublished_after_it_was_routed_is_not_found(client):
    article = make_article()
    assert client.get(article.url).status_code == 200

    article.unpublish()

    assert client.get(article.url).status_code == 404


def test_an_article_renamed_after_it_was_routed_moves_to_its_new_address(client):
    article = make_article(title="First headline")
    old_url = article.url
    assert client.get(old_url).status_code == 200

    article.title, article.slug = "Second headline", "second-headline"
    article.save_revision().publish()
    article.refresh_from_db()

    assert client.get(old_url).status_code == 404
    assert _heading(client.get(article.url)) == "Second headline"


def test_a_change_made_in_another_process_is_seen_once_the_site_token_moves(client):
    """Another app process's write reaches this one through the ``site`` token alone: here the
    row changes with no signal in this process, then the token is bumped as that process's
    commit would bump it."""
    article = make_article(title="Before")
    assert _heading(client.get(article.url)) == "Before"

    ArticlePage.objects.filter(pk=article.pk).update(title="After")
    Page.objects.filter(pk=article.pk).update(title="After")
    pagecache.bump("site")

    assert _heading(client.get(article.url)) == "After"


def test_a_page_withdrawn_through_another_process_is_routed_as_withdrawn_within_the_trust_time(
    client, settings
):
    """With Redis, an app process routes by the ``site`` token it read within
    PAGE_CACHE_LOCAL_MAX_STALE_MS (no round trip per request): another process's change, whose
    bump reaches only Redis, is routed by once that time has passed since this one last read
    it, as the page cache serves it."""
    if not pagecache._conf().shared:
        pytest.skip("with Redis: without it the token lives in this process")
    settings.PAGE_CACHE_LOCAL_MAX_STALE_MS = 200
    article = make_article(title="Live for now")
    assert client.get(article.url).status_code == 200

    # The other process's change: the row, then its bump, made in the shared cache alone.
    Page.objects.filter(pk=article.pk).update(live=False)
    cache.set(pagecache.token_key("site"), "bumped-by-another-process", timeout=None)
    time.sleep(0.3)

    assert client.get(article.url).status_code == 404


def test_a_page_changed_by_another_process_is_routed_afresh_with_the_in_process_cache(
    client, settings
):
    """Without Redis, another process (the scheduler, a management command) bumps the site
    token through the page cache's generation file: the serving process must see it for the
    pages it remembers too, also when no anonymous reader comes by to look at the file."""
    if pagecache._conf().shared:
        pytest.skip("with Redis every process reads the same tokens")
    settings.PAGE_CACHE_LOCAL_MAX_STALE_MS = 0
    article = make_article(title="Live for now")
    pagecache._local.serving = True  # as in the app process, which answers through the layer
    try:
        assert client.get(article.url).status_code == 200

        # The other process's change: the row, then its bump, which reaches this process only
        # as a new generation file (its in-process cache is that process's own).
        Page.objects.filter(pk=article.pk).update(live=False)
        pagecache._generation_write()

        assert client.get(article.url).status_code == 404
    finally:
        pagecache._local.serving = False
