"""Every page's header links the live sections, and its footer the standards pages."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.test import RequestFactory
from wagtail.models import PageViewRestriction

from newsroom.models import PolicyPage, SectionPage
from newsroom.selectors import site_navigation
from newsroom.tests.factories import make_article, make_home, make_section

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_the_default_section")]


def _soup(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def _section_links(soup: BeautifulSoup) -> list[tuple[str, str]]:
    nav = soup.select_one('header nav[aria-label="Sections"]')
    assert nav is not None
    return [(link.get_text(strip=True), link["href"]) for link in nav.find_all("a")]


def _make_policy(*, kind: str, title: str) -> PolicyPage:
    policy = make_home().add_child(
        instance=PolicyPage(
            title=title, slug=f"{kind}-policy", kind=kind, body="<p>What we do about it.</p>"
        )
    )
    policy.save_revision().publish()
    return policy


def test_the_front_page_links_each_live_section_in_tree_order(client):
    world, business, sport = make_section("World"), make_section("Business"), make_section("Sport")

    links = _section_links(_soup(client, "/"))

    assert links == [("World", world.url), ("Business", business.url), ("Sport", sport.url)]


def test_an_unpublished_section_is_not_linked(client):
    world = make_section("World")
    make_section("Drafts").unpublish()

    assert _section_links(_soup(client, "/")) == [("World", world.url)]


def test_a_section_whose_show_in_menus_is_unticked_is_not_linked(client):
    world, archive = make_section("World"), make_section("Archive")
    archive.show_in_menus = False
    archive.save_revision().publish()

    assert _section_links(_soup(client, "/")) == [("World", world.url)]


def test_a_new_section_is_shown_in_menus_unless_the_editor_unticks_it():
    assert SectionPage(title="Science", slug="science").show_in_menus is True


def test_ticking_show_in_menus_again_links_the_section_once_it_is_published(
    client, django_capture_on_commit_callbacks
):
    world, archive = make_section("World"), make_section("Archive")
    archive.show_in_menus = False
    archive.save_revision().publish()
    assert _section_links(_soup(client, "/")) == [("World", world.url)]

    archive.show_in_menus = True
    with django_capture_on_commit_callbacks(execute=True):
        archive.save_revision().publish()

    assert _section_links(_soup(client, "/")) == [("World", world.url), ("Archive", archive.url)]


def test_a_policy_page_is_in_the_footer_whatever_its_show_in_menus_says(client):
    make_section("World")
    policy = _make_policy(kind=PolicyPage.Kind.CORRECTIONS, title="Corrections policy")
    policy.show_in_menus = False
    policy.save_revision().publish()

    footer = _soup(client, "/").select_one("footer")

    assert footer.find("a", string="Corrections policy")["href"] == policy.url


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sections_made_before_show_in_menus_counted_stay_in_the_header(client):
    # A site upgraded from before the box counted: its sections were saved unticked (Wagtail's
    # default then), on the page and in the revision a draft would be published from.
    call_command("migrate", "newsroom", "0007", verbosity=0)
    world = make_section("World")
    SectionPage.objects.filter(pk=world.pk).update(show_in_menus=False)
    revision = world.latest_revision
    revision.content["show_in_menus"] = False
    revision.save(update_fields=["content"])

    call_command("migrate", "newsroom", verbosity=0)

    assert _section_links(_soup(client, "/")) == [("World", world.url)]
    revision.refresh_from_db()
    assert revision.content["show_in_menus"] is True


def test_a_private_section_is_not_linked(client):
    world = make_section("World")
    PageViewRestriction.objects.create(
        page=make_section("Members"), restriction_type=PageViewRestriction.LOGIN
    )

    assert _section_links(_soup(client, "/")) == [("World", world.url)]


def test_a_section_page_marks_its_own_link_as_the_current_page(client):
    world, business = make_section("World"), make_section("Business")

    nav = _soup(client, business.url).select_one('nav[aria-label="Sections"]')

    current = nav.select("a[aria-current]")
    assert [(link["href"], link["aria-current"]) for link in current] == [(business.url, "page")]
    assert world.url not in [link["href"] for link in current]


def test_an_article_page_marks_its_section_as_current(client):
    world = make_section("World")
    make_section("Business")
    article = make_article(section=world)

    nav = _soup(client, article.url).select_one('nav[aria-label="Sections"]')

    assert [(link["href"], link["aria-current"]) for link in nav.select("a[aria-current]")] == [
        (world.url, "true")
    ]


def test_the_footer_links_the_corrections_policy_when_there_is_one(client):
    make_section("World")
    policy = _make_policy(kind=PolicyPage.Kind.CORRECTIONS, title="Corrections policy")

    footer = _soup(client, "/").select_one("footer")

    link = footer.find("a", string="Corrections policy")
    assert link is not None and link["href"] == policy.url


def test_the_footer_has_no_standards_links_when_there_are_no_standards_pages(client):
    make_section("World")

    footer = _soup(client, "/").select_one("footer")

    assert footer.find("nav") is None


def test_the_navigation_is_read_once_per_site_version(django_assert_num_queries):
    make_section("World")
    request = RequestFactory().get("/", HTTP_HOST="localhost")
    site_navigation(request=request)  # read and kept under the current site token

    with django_assert_num_queries(0):
        navigation = site_navigation(request=request)

    assert [link.title for link in navigation.sections] == ["World"]


def test_a_section_published_later_is_linked_once_its_publish_commits(
    client, django_capture_on_commit_callbacks
):
    make_section("World")
    assert [title for title, _url in _section_links(_soup(client, "/"))] == ["World"]

    with django_capture_on_commit_callbacks(execute=True):
        make_section("Business")

    assert [title for title, _url in _section_links(_soup(client, "/"))] == ["World", "Business"]


def test_the_footer_links_the_transparency_report_and_the_site_feeds(client):
    make_section("World")

    footer = _soup(client, "/").select_one("footer")

    links = {link.get_text(strip=True): link["href"] for link in footer.find_all("a")}
    assert links["Moderation transparency report"] == "/transparency/"
    assert links["RSS feed"] == "/feeds/rss/"
    assert links["Atom feed"] == "/feeds/atom/"
    for href in links.values():
        assert client.get(href).status_code == 200, href


def test_only_a_sections_promote_tab_offers_show_in_menus(admin_client):
    """The box links a section from the header; an editor who ticked it on an article, a
    policy page or the front page saw nothing happen."""
    section = make_section("World")
    pages = (section, make_article(section=section), _make_policy(kind="ethics", title="Ethics"))
    offered = {
        type(page).__name__: _soup(admin_client, f"/admin/pages/{page.pk}/edit/").find(
            "input", attrs={"name": "show_in_menus"}
        )
        is not None
        for page in (*pages, make_home())
    }

    assert offered == {
        "SectionPage": True,
        "ArticlePage": False,
        "PolicyPage": False,
        "HomePage": False,
    }
