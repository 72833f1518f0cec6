"""A page is refused an address one of the site's own views answers however it is put there,
not only by the page editor: the admin API's copy, move and publish, the page listing's bulk
Publish and Move, the shell, scheduled publishing and load_demo (newsroom.page_addresses)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import path, reverse
from django.utils import timezone
from wagtail.models import Page, Site

from broadsheet import urls as site_urls
from newsroom.models import ArticlePage, HomePage, SectionPage
from newsroom.tests.factories import make_article, make_home, make_section

pytestmark = pytest.mark.django_db

API_REASON = "'api' is used by the site's API; choose another slug."


def _api_action(client, page: Page, action: str, payload: dict):
    return client.post(
        f"/admin/api/main/pages/{page.pk}/action/{action}/",
        payload,
        content_type="application/json",
    )


def _section_put_at(slug: str) -> SectionPage:
    """A section at a fixed address, its latest revision there too, as a page made before the
    check, or a queryset update and an unchecked save, leave it."""
    section = make_section()
    Page.objects.filter(pk=section.pk).update(slug=slug, url_path=f"/home/{slug}/")
    section = SectionPage.objects.get(pk=section.pk)
    section.save_revision(clean=False)
    return section


def _article_at_api_in_world_while_sport_is_a_site_root() -> tuple[ArticlePage, SectionPage]:
    """An article at /world/api/, its own address; moved into Sport, another site's root, it
    would be at /api/ there, the API's."""
    world = make_section("World")
    sport = make_section("Sport")
    Site.objects.create(hostname="sport.localhost", root_page=sport)
    article = make_article(section=world, title="The API of sport")
    article.slug = "api"
    article.save()
    return article, sport


# --- the admin's JSON API, as a script signed in as staff sends it ------------------------


def test_a_copy_to_the_api_address_through_the_admin_api_is_refused_with_a_json_error(
    admin_client,
):
    section = make_section()
    pages_before = Page.objects.count()

    response = _api_action(
        admin_client, section, "copy", {"destination_page_id": make_home().pk, "slug": "api"}
    )

    assert response.status_code == 400
    assert response.json() == {"slug": [API_REASON]}
    assert Page.objects.count() == pages_before


@override_settings(LEAD_IMAGE_MIN_WIDTH=0)
def test_a_move_through_the_admin_api_to_the_api_address_is_refused_with_a_json_error(
    admin_client,
):
    article, sport = _article_at_api_in_world_while_sport_is_a_site_root()

    response = _api_action(
        admin_client, article, "move", {"destination_page_id": sport.pk, "position": "last-child"}
    )

    assert response.status_code == 400
    assert response.json() == {
        "destination_page_id": [f"“The API of sport” was not moved: {API_REASON}"]
    }
    assert ArticlePage.objects.get(pk=article.pk).get_parent().title == "World"


def test_publishing_a_page_at_the_feeds_address_through_the_admin_api_is_refused(admin_client):
    section = _section_put_at("feeds")
    section.title = "Feeds, renamed in a draft"
    section.save_revision(clean=False)

    response = _api_action(admin_client, section, "publish", {})

    assert response.status_code == 400
    assert response.json() == {
        "slug": ["'feeds' is used by the site's feeds; choose another slug."]
    }
    assert SectionPage.objects.get(pk=section.pk).title != "Feeds, renamed in a draft"


# --- the page listing's bulk actions --------------------------------------------------------


def _bulk(client, action: str, *pages: Page, data: dict | None = None):
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", action))
    query = "&".join(f"id={page.pk}" for page in pages)
    response = client.post(f"{url}?{query}&next=/admin/", data or {}, follow=True)
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


@pytest.mark.usefixtures("without_the_default_section")
def test_bulk_publish_of_a_page_at_the_search_address_publishes_nothing_and_says_why(
    admin_client,
):
    ready = make_section("Ready")
    ready.unpublish()
    blocked = _section_put_at("search")
    blocked.unpublish()

    text = _bulk(admin_client, "publish", ready, blocked)

    assert "Nothing was published, because a page is at an address the site keeps." in text
    assert "“World”: 'search' is used by the site's search; choose another slug." in text
    assert not SectionPage.objects.filter(live=True).exists()


@override_settings(LEAD_IMAGE_MIN_WIDTH=0)
def test_bulk_move_to_the_api_address_moves_nothing_and_says_why(admin_client):
    article, sport = _article_at_api_in_world_while_sport_is_a_site_root()
    other = make_article(section=article.get_parent(), title="Another story")

    text = _bulk(admin_client, "move", other, article, data={"chooser": sport.pk})

    assert "Nothing was moved, because a page would be at an address the site keeps there." in (
        text
    )
    assert f"“The API of sport”: {API_REASON}" in text
    assert not sport.get_children().exists()


# --- the shell, and commands that write pages ----------------------------------------------


def test_a_section_added_at_the_api_address_from_the_shell_is_refused():
    home = make_home()

    with pytest.raises(ValidationError) as refused:
        home.add_child(instance=SectionPage(title="API", slug="api"))

    assert refused.value.message_dict == {"slug": [API_REASON]}
    assert not Page.objects.filter(slug="api").exists()


def test_a_draft_renamed_to_the_accounts_address_from_the_shell_is_refused():
    section = make_home().add_child(
        instance=SectionPage(title="Members", slug="members", live=False)
    )  # a draft, which Wagtail saves checking only its title and slug

    section.slug = "accounts"
    with pytest.raises(ValidationError) as refused:
        section.save()

    assert refused.value.message_dict == {
        "slug": ["'accounts' is used by readers' sign-in and accounts; choose another slug."]
    }
    assert SectionPage.objects.get(pk=section.pk).slug == "members"


@override_settings(LEAD_IMAGE_MIN_WIDTH=0)
def test_a_page_moved_from_the_shell_to_the_api_address_is_refused():
    article, sport = _article_at_api_in_world_while_sport_is_a_site_root()

    with pytest.raises(ValidationError) as refused:
        article.move(sport, pos="last-child")

    assert refused.value.message_dict == {
        "destination_page_id": [f"“The API of sport” was not moved: {API_REASON}"]
    }
    assert ArticlePage.objects.get(pk=article.pk).get_parent().title == "World"


def _due_now(page: Page, minutes_ago: int) -> None:
    """Schedule ``page``'s latest revision, as an editor's "Go-live date" does, for a time that
    has just passed."""
    revision = page.get_latest_revision()
    revision.approved_go_live_at = timezone.now() - timedelta(minutes=minutes_ago)
    revision.save(update_fields=["approved_go_live_at"])


@override_settings(LEAD_IMAGE_MIN_WIDTH=0)
def test_the_scheduler_cancels_a_publish_due_at_a_kept_address_and_publishes_the_rest(
    settings,
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    kept = _section_put_at("live")
    kept.unpublish()
    _due_now(kept, minutes_ago=2)  # due first: Wagtail would stop at it
    story = make_article(title="Embargoed budget details")
    story.unpublish()
    _due_now(story, minutes_ago=1)
    errors = StringIO()

    call_command("run_scheduler", once=True, stderr=errors)

    assert ArticlePage.objects.get(pk=story.pk).live
    assert not SectionPage.objects.get(pk=kept.pk).live
    assert errors.getvalue() == (
        "“World” was not published at its scheduled time, and its schedule is cancelled: "
        "'live' is used by the live blogs' updates; choose another slug.\n"
    )


def _world_view(request):  # pragma: no cover (never served: the URL conf is only read)
    raise AssertionError


# A site whose operator gave /world/ to a view of their own: the demo's World section is there.
urlpatterns = [path("world/", _world_view), *site_urls.urlpatterns]


@pytest.mark.usefixtures("new_site")
def test_load_demo_where_a_demo_page_would_be_at_a_kept_address_says_so_and_loads_nothing():
    with override_settings(ROOT_URLCONF=__name__), pytest.raises(CommandError) as refused:
        call_command("load_demo", long_thread=0, prepare_images=False, stdout=StringIO())

    assert str(refused.value) == (
        "The demo cannot be loaded on this site: one of its pages would be at an address the "
        "site's own views answer ('world' is used by one of the site's own addresses (/world/)), "
        "where readers could not reach it. The demo's addresses are fixed, so free that address "
        "in the site's URL conf (broadsheet/urls.py) to load it. Nothing was loaded."
    )
    assert not HomePage.objects.exists()
