"""Wagtail's userbar ("Edit this page" and the admin's other quick actions) on the site's pages,
for the newsroom's staff alone: never in an anonymous reader's page, drawn or kept by the page
cache (core.pagecache). Through the real ASGI application, the cache's layer included. What the
bar does in the browser: tests/e2e/test_userbar.py."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.test import Client

from newsroom.tests.factories import make_article
from newsroom.tests.test_page_cache import asgi

pytestmark = pytest.mark.django_db

USERBAR = "<wagtail-userbar>"


def _session(user) -> dict[str, str]:
    client = Client()
    client.force_login(user)
    return {"sessionid": client.cookies["sessionid"].value}


@pytest.fixture
def editor(django_user_model):
    """A member of Wagtail's Editors group: may use the admin, is no superuser."""
    user = django_user_model.objects.create_user("nadia", "nadia@example.com", "pw-1234567890")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def test_an_editor_gets_the_userbar_with_edit_this_page_on_an_article(editor):
    article = make_article()

    answer = asgi("GET", article.url, cookies=_session(editor))

    assert USERBAR in answer.body
    soup = BeautifulSoup(answer.body, "html.parser")
    assert soup.select(f"#wagtail-userbar-items a[href$='/admin/pages/{article.pk}/edit/']")
    assert "Edit this page" in answer.body


def test_an_account_given_the_admin_itself_gets_the_userbar(django_user_model):
    user = django_user_model.objects.create_user("omar", "omar@example.com", "pw-1234567890")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))

    answer = asgi("GET", make_article().url, cookies=_session(user))

    assert USERBAR in answer.body


def test_a_signed_in_reader_who_may_not_use_the_admin_gets_no_userbar(django_user_model):
    user = django_user_model.objects.create_user("ines", "ines@example.com", "pw-1234567890")
    user.groups.add(Group.objects.create(name="Newsletter readers"))

    answer = asgi("GET", make_article().url, cookies=_session(user))

    assert "Sign out" in answer.body
    assert USERBAR not in answer.body


def test_an_anonymous_readers_page_has_no_userbar_drawn_or_kept():
    article = make_article()

    drawn, kept = asgi("GET", article.url), asgi("GET", article.url)

    assert (drawn.header("x-cache"), kept.header("x-cache")) == ("miss", "hit")
    assert USERBAR not in drawn.body
    assert USERBAR not in kept.body


def test_an_anonymous_readers_page_has_no_userbar_with_the_page_cache_off(settings):
    settings.PAGE_CACHE_SECONDS = 0

    answer = asgi("GET", make_article().url)

    assert answer.header("x-cache") is None
    assert USERBAR not in answer.body


def test_the_page_cache_keeps_nothing_of_an_editors_visit(editor):
    article = make_article()

    seen_by_editor = asgi("GET", article.url, cookies=_session(editor))
    first_reader, second_reader = asgi("GET", article.url), asgi("GET", article.url)

    assert USERBAR in seen_by_editor.body and seen_by_editor.header("x-cache") is None
    # The first anonymous reader's page is drawn for them (nothing kept from the editor's), and
    # it is what the cache then keeps.
    assert (first_reader.header("x-cache"), second_reader.header("x-cache")) == ("miss", "hit")
    assert USERBAR not in first_reader.body
    assert USERBAR not in second_reader.body
