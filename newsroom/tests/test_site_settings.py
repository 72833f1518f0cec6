"""Wagtail's Sites settings refuse a root page that would put pages where the site's own views
answer, as the page editor refuses such a slug (newsroom.site_settings)."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils.html import escape
from wagtail.models import Page, Site

from newsroom.models import SectionPage
from newsroom.tests.factories import make_article, make_home, make_section

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("lead_images_of_any_width")]


@pytest.fixture
def lead_images_of_any_width():
    with override_settings(LEAD_IMAGE_MIN_WIDTH=0):
        yield


def _section_with_an_article_slugged(slug: str, *, title: str = "Sport") -> SectionPage:
    """A section with an article whose address is its own below the home page
    (``/section-n/api/``), but would be ``/api/`` were the section a site's root."""
    section = make_section(title)
    article = make_article(section=section, title="The API of sport")
    Page.objects.filter(pk=article.pk).update(slug=slug, url_path=f"{section.url_path}{slug}/")
    return section


def _site_form(site: Site, root: Page) -> dict[str, object]:
    return {
        "hostname": site.hostname,
        "port": site.port,
        "site_name": site.site_name,
        "root_page": root.pk,
        "is_default_site": "on" if site.is_default_site else "",
    }


def _root_page_errors(response) -> list[str]:
    return list(response.context["form"].errors.get("root_page", []))


def test_a_site_pointed_at_a_root_whose_child_is_slugged_api_is_refused(admin_client):
    make_home()
    site = Site.objects.get(is_default_site=True)
    sport = _section_with_an_article_slugged("api")

    response = admin_client.post(
        reverse("wagtailsites:edit", args=[site.pk]), _site_form(site, sport)
    )

    assert response.status_code == 200
    assert _root_page_errors(response) == [
        "“Sport” cannot be this site's root page: readers could not reach “The API of sport” "
        "at /api/ ('api' is used by the site's API). Rename or move that page first, or "
        "choose another root page."
    ]
    assert escape(_root_page_errors(response)[0]) in response.content.decode()
    site.refresh_from_db()
    assert site.root_page_id == make_home().pk


def test_a_site_refused_a_root_is_told_every_page_that_would_be_hidden(admin_client):
    make_home()
    site = Site.objects.get(is_default_site=True)
    sport = _section_with_an_article_slugged("api")
    feeds = make_article(section=sport, title="Our feeds")
    Page.objects.filter(pk=feeds.pk).update(slug="feeds", url_path=f"{sport.url_path}feeds/")

    response = admin_client.post(
        reverse("wagtailsites:edit", args=[site.pk]), _site_form(site, sport)
    )

    [error] = _root_page_errors(response)
    assert "“The API of sport” at /api/ ('api' is used by the site's API)" in error
    assert "“Our feeds” at /feeds/ ('feeds' is used by the site's feeds)" in error
    assert "Rename or move those pages first" in error


def test_a_new_site_whose_root_has_a_child_slugged_search_is_refused(admin_client):
    make_home()
    sport = _section_with_an_article_slugged("search")
    form = {"hostname": "sport.localhost", "port": 80, "site_name": "", "root_page": sport.pk}

    response = admin_client.post(reverse("wagtailsites:add"), form)

    assert "at /search/ ('search' is used by the site's search)" in _root_page_errors(response)[0]
    assert not Site.objects.filter(hostname="sport.localhost").exists()


def test_a_site_pointed_at_a_root_whose_pages_have_addresses_of_their_own_is_saved(
    admin_client,
):
    make_home()
    site = Site.objects.get(is_default_site=True)
    sport = _section_with_an_article_slugged("apiary")

    response = admin_client.post(
        reverse("wagtailsites:edit", args=[site.pk]), _site_form(site, sport)
    )

    assert response.status_code == 302
    site.refresh_from_db()
    assert site.root_page_id == sport.pk


def test_a_site_saved_with_the_root_it_has_is_saved(admin_client):
    """Pages already hidden below it are each refused by their own edit form until renamed:
    the site's name or port can still be changed."""
    make_home()
    sport = _section_with_an_article_slugged("api")
    site = Site.objects.create(hostname="sport.localhost", root_page=sport)

    response = admin_client.post(
        reverse("wagtailsites:edit", args=[site.pk]),
        {**_site_form(site, sport), "site_name": "Sport"},
    )

    assert response.status_code == 302
    site.refresh_from_db()
    assert site.site_name == "Sport"


def test_the_sites_settings_are_in_the_settings_menu_and_list_the_sites(admin_client):
    make_home()

    dashboard = admin_client.get(reverse("wagtailadmin_home"))
    listing = admin_client.get(reverse("wagtailsites:index"))

    assert reverse("wagtailsites:index") in dashboard.content.decode()
    assert "localhost" in listing.content.decode()


def test_a_site_named_as_its_host_reads_answers_the_host_browsers_send(
    admin_client, client, settings
):
    """A browser sends an internationalised host name in IDNA's ASCII form; a site saved with
    the name as typed was never matched, and its readers got the default site's pages."""
    settings.ALLOWED_HOSTS = ["testserver", "xn--sport-fr-alle-2ob.example"]
    make_home()
    sport = make_section("Sport")

    response = admin_client.post(
        reverse("wagtailsites:add"),
        {"hostname": "Sport-für-Alle.example", "port": 80, "site_name": "", "root_page": sport.pk},
    )

    assert response.status_code == 302
    assert Site.objects.get(root_page=sport).hostname == "xn--sport-fr-alle-2ob.example"
    page = client.get("/", HTTP_HOST="xn--sport-fr-alle-2ob.example")
    assert page.status_code == 200
    assert page.context["page"].pk == sport.pk


def test_a_site_host_name_idna_cannot_write_is_refused_with_the_form_kept(admin_client):
    make_home()
    sport = make_section("Sport")

    response = admin_client.post(
        reverse("wagtailsites:add"),
        {"hostname": "-sport-für-alle.example", "port": 80, "site_name": "", "root_page": sport.pk},
    )

    assert response.status_code == 200
    [error] = response.context["form"].errors["hostname"]
    assert "'-sport-für-alle.example' is not an internationalised domain name" in error
    assert 'value="-sport-für-alle.example"' in response.content.decode()
    assert not Site.objects.filter(root_page=sport).exists()
