"""A page whose address one of the site's own views answers is refused in the admin: readers
could never reach it (newsroom.reserved_slugs)."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import path, reverse
from django.utils.html import escape
from wagtail.models import Page, Site

from broadsheet import urls as site_urls
from newsroom.models import ArticlePage, PolicyPage, SectionPage
from newsroom.tests.factories import make_article, make_home, make_section

pytestmark = pytest.mark.django_db


def _add_section(client, slug: str):
    home = make_home()
    url = reverse("wagtailadmin_pages:add", args=["newsroom", "sectionpage", home.pk])
    return client.post(url, {"title": "A section", "slug": slug, "intro": ""})


def _slug_errors(response) -> list[str]:
    return list(response.context["form"].errors.get("slug", []))


@pytest.mark.parametrize(
    ("slug", "reason"),
    [
        ("api", "'api' is used by the site's API; choose another slug."),
        ("admin", "'admin' is used by the Wagtail admin; choose another slug."),
        ("embed", "'embed' is used by the comments embedded in other sites; choose another slug."),
        ("c", "'c' is used by comment links; choose another slug."),
        ("feeds", "'feeds' is used by the site's feeds; choose another slug."),
        ("search", "'search' is used by the site's search; choose another slug."),
        ("transparency", "'transparency' is used by the transparency report; choose another slug."),
        ("accounts", "'accounts' is used by readers' sign-in and accounts; choose another slug."),
    ],
)
def test_a_section_whose_address_the_site_answers_is_refused(admin_client, slug, reason):
    response = _add_section(admin_client, slug)

    assert response.status_code == 200
    assert _slug_errors(response) == [reason]
    assert not SectionPage.objects.filter(slug=slug).exists()


def test_a_section_with_an_address_of_its_own_is_created(admin_client):
    response = _add_section(admin_client, "apiary")

    assert response.status_code == 302
    assert SectionPage.objects.filter(slug="apiary").exists()


def test_a_policy_page_at_the_transparency_reports_address_is_refused(admin_client):
    home = make_home()
    url = reverse("wagtailadmin_pages:add", args=["newsroom", "policypage", home.pk])

    response = admin_client.post(
        url, {"title": "Transparency", "slug": "transparency", "kind": "other", "body": "{}"}
    )

    assert "'transparency' is used by the transparency report" in _slug_errors(response)[0]
    assert not PolicyPage.objects.filter(slug="transparency").exists()


def test_a_section_renamed_to_the_feeds_address_is_refused(admin_client):
    section = make_section()
    url = reverse("wagtailadmin_pages:edit", args=[section.pk])

    response = admin_client.post(url, {"title": section.title, "slug": "feeds", "intro": ""})

    assert _slug_errors(response) == ["'feeds' is used by the site's feeds; choose another slug."]
    section.refresh_from_db()
    assert section.slug != "feeds"


def _section_put_at(slug: str) -> SectionPage:
    """A section at a fixed address, as one made before the check, or by an import or the
    shell, would be: the editor never saw its slug refused."""
    section = make_section()
    Page.objects.filter(pk=section.pk).update(slug=slug, url_path=f"/home/{slug}/")
    return SectionPage.objects.get(pk=section.pk)


def test_a_section_already_at_the_feeds_address_is_refused_when_saved_as_a_draft(admin_client):
    section = _section_put_at("feeds")
    url = reverse("wagtailadmin_pages:edit", args=[section.pk])

    response = admin_client.post(url, {"title": section.title, "slug": "feeds", "intro": ""})

    assert response.status_code == 200
    assert _slug_errors(response) == ["'feeds' is used by the site's feeds; choose another slug."]
    assert section.revisions.count() == 1  # the one make_section published


def test_a_section_already_at_the_live_address_is_refused_when_published(admin_client):
    section = _section_put_at("live")
    url = reverse("wagtailadmin_pages:edit", args=[section.pk])

    response = admin_client.post(
        url, {"title": "Live coverage", "slug": "live", "intro": "", "action-publish": "publish"}
    )

    assert _slug_errors(response) == [
        "'live' is used by the live blogs' updates; choose another slug."
    ]
    assert SectionPage.objects.get(pk=section.pk).title == section.title


def test_what_the_editor_typed_stays_in_the_form_when_the_slug_is_refused(admin_client):
    section = _section_put_at("search")
    url = reverse("wagtailadmin_pages:edit", args=[section.pk])

    response = admin_client.post(
        url, {"title": "Find a story", "slug": "search", "intro": "Everything we wrote."}
    )

    form = response.context["form"]
    assert form["title"].value() == "Find a story"
    assert form["intro"].value() == "Everything we wrote."
    assert escape(_slug_errors(response)[0]) in response.content.decode()


def test_a_section_saved_again_under_its_own_slug_is_saved(admin_client):
    section = make_section()
    url = reverse("wagtailadmin_pages:edit", args=[section.pk])

    response = admin_client.post(
        url, {"title": "World news", "slug": section.slug, "intro": "", "action-publish": "publish"}
    )

    assert response.status_code == 302
    assert SectionPage.objects.get(pk=section.pk).title == "World news"


@override_settings(LEAD_IMAGE_MIN_WIDTH=0)
def test_an_article_slug_collides_only_where_it_sits_below_a_sites_root(admin_client):
    """Under a section, /world/api/ is the article's own; moved into a section that is another
    site's root it would be /api/ there, the API's address, so the move is refused."""
    world = make_section("World")
    sport = make_section("Sport")
    Site.objects.create(hostname="sport.localhost", root_page=sport)
    article = make_article(section=world)
    Page.objects.filter(pk=article.pk).update(slug="api")
    article = ArticlePage.objects.get(pk=article.pk)
    article.set_url_path(world)
    article.save()

    url = reverse("wagtailadmin_pages:move_confirm", args=[article.pk, sport.pk])
    response = admin_client.post(url, follow=True)

    article.refresh_from_db()
    assert article.get_parent().pk == world.pk
    messages = [str(message) for message in response.context["messages"]]
    assert any("'api' is used by the site's API; choose another slug." in m for m in messages)


def _copy(client, page: Page, *, slug: str, parent: Page):
    url = reverse("wagtailadmin_pages:copy", args=[page.pk])
    return client.post(url, {"new_title": "A copy", "new_slug": slug, "new_parent_page": parent.pk})


def test_a_section_copied_to_the_api_address_is_refused(admin_client):
    section = make_section()
    pages_before = Page.objects.count()

    response = _copy(admin_client, section, slug="api", parent=make_home())

    assert response.status_code == 200
    assert response.context["form"].errors["new_slug"] == [
        "'api' is used by the site's API; choose another slug."
    ]
    assert Page.objects.count() == pages_before


@override_settings(LEAD_IMAGE_MIN_WIDTH=0)
def test_an_article_copied_into_a_section_that_is_another_sites_root_as_api_is_refused(
    admin_client,
):
    """/world/api/ would be the copy's own address; in a section that is another site's root
    it would be /api/ there, the API's."""
    world = make_section("World")
    sport = make_section("Sport")
    Site.objects.create(hostname="sport.localhost", root_page=sport)
    article = make_article(section=world)

    response = _copy(admin_client, article, slug="api", parent=sport)

    assert response.context["form"].errors["new_slug"] == [
        "'api' is used by the site's API; choose another slug."
    ]
    assert not Page.objects.filter(slug="api").exists()


def test_a_section_copied_under_a_slug_of_its_own_is_copied(admin_client):
    section = make_section()

    response = _copy(admin_client, section, slug="apiary", parent=make_home())

    assert response.status_code == 302
    assert SectionPage.objects.filter(slug="apiary").exists()


def _newsletter(request):  # pragma: no cover (never served: the URL conf is only read)
    raise AssertionError


urlpatterns = [path("newsletter/", _newsletter), *site_urls.urlpatterns]


def test_a_fixed_address_added_to_the_url_conf_is_refused_with_no_list_to_update(admin_client):
    with override_settings(ROOT_URLCONF=__name__):
        response = _add_section(admin_client, "newsletter")

    assert _slug_errors(response) == [
        "'newsletter' is used by one of the site's own addresses (/newsletter/); "
        "choose another slug."
    ]
