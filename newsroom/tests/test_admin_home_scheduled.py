"""The admin's home page lists what is scheduled to go live, soonest first, for the pages the
editor may edit: a newsroom's timetable in one place."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from wagtail.models import GroupPagePermission

from newsroom.models import ArticlePage
from newsroom.tests.factories import make_section

pytestmark = pytest.mark.django_db


def _schedule(section, title: str, minutes: int) -> ArticlePage:
    article = ArticlePage(
        title=title,
        slug=title.lower().replace(" ", "-"),
        standfirst="Details.",
        body=[{"type": "paragraph", "value": "<p>Text.</p>"}],
        live=False,
        go_live_at=timezone.now() + timedelta(minutes=minutes),
    )
    section.add_child(instance=article)
    article.save_revision().publish()
    return article


def _listed(response) -> list[str]:
    panel = BeautifulSoup(response.content, "html.parser").select_one("#scheduled-pages-section")
    return [] if panel is None else [a.get_text(strip=True) for a in panel.select("td.title a")]


def test_scheduled_articles_are_listed_soonest_first_with_their_edit_links(admin_client):
    section = make_section()
    later = _schedule(section, "Budget analysis", 120)
    _schedule(section, "Embargoed budget", 30)

    response = admin_client.get("/admin/")

    assert _listed(response) == ["Embargoed budget", "Budget analysis"]
    assert f'href="/admin/pages/{later.pk}/edit/"' in response.content.decode()


def test_a_published_article_leaves_the_list(admin_client):
    article = _schedule(make_section(), "Embargoed budget", 30)
    article.refresh_from_db()
    article.go_live_at = None
    article.save_revision().publish()  # published now, the schedule dropped

    assert _listed(admin_client.get("/admin/")) == []


def test_an_editor_sees_only_the_pages_they_may_edit(client, django_user_model):
    business, world = make_section(title="Business"), make_section(title="World")
    _schedule(business, "Budget analysis", 30)
    _schedule(world, "Summit preview", 60)
    group = Group.objects.create(name="Business desk")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=group, page=business, permission=Permission.objects.get(codename="change_page")
    )
    editor = django_user_model.objects.create_user("ed", "", "pw-long-enough", is_staff=True)
    editor.groups.add(group)
    client.force_login(editor)

    assert _listed(client.get("/admin/")) == ["Budget analysis"]
