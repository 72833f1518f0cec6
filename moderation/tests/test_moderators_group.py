"""A member of Wagtail's built-in "Moderators" group can moderate reader comments, and close and
reopen a discussion."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.urls import reverse

from discussion.services import thread_ensure, thread_update
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_a_member_of_the_moderators_group_can_open_the_comment_queues(client, django_user_model):
    moderator = django_user_model.objects.create_user("mod2", "m@example.com", "pw-long-enough")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(moderator)

    response = client.get("/admin/moderation/queue/pending/")

    assert response.status_code == 200
    assert "Comments: Pending" in response.content.decode()


# Closing a thread on a breaking-news night is the moderators' own lever (Admin > Discussions),
# and only that: who may post, the rules and the thresholds stay with the newsroom.


def _member_of(django_user_model, group: str):
    user = django_user_model.objects.create_user(group.lower(), "g@example.com", "pw-long-enough")
    user.groups.add(Group.objects.get(name=group))
    return user


def _edit_thread(client, thread, **fields):
    url = reverse("wagtailsnippets_discussion_thread:edit", args=[thread.pk])
    return client.post(url, {"is_closed": "", **fields})


def test_the_moderators_group_may_close_threads_and_nothing_more_of_them():
    permissions = {
        f"{app}.{codename}"
        for app, codename in Group.objects.get(name="Moderators").permissions.values_list(
            "content_type__app_label", "codename"
        )
    }

    assert "discussion.close_thread" in permissions
    assert "discussion.change_thread" not in permissions


def test_a_moderator_closes_and_reopens_a_thread_from_the_discussions_list(
    client, django_user_model
):
    client.force_login(_member_of(django_user_model, "Moderators"))
    article = make_article(title="Breaking: talks collapse")
    thread = thread_ensure(page=article)

    listing = client.get(reverse("wagtailsnippets_discussion_thread:list"))
    assert listing.status_code == 200
    assert "Breaking: talks collapse" in listing.content.decode()
    assert "Discussions" in client.get("/admin/").content.decode()  # in the menu

    assert _edit_thread(client, thread, is_closed="on").status_code == 302
    thread.refresh_from_db()
    assert thread.is_closed
    client.logout()
    page = BeautifulSoup(client.get(article.url).content, "html.parser")
    assert "This discussion is closed" in page.select_one("#comments").get_text()

    client.force_login(django_user_model.objects.get(username="moderators"))
    assert _edit_thread(client, thread).status_code == 302
    thread.refresh_from_db()
    assert not thread.is_closed


def test_a_moderator_is_not_offered_whether_guests_may_post_nor_can_change_it(
    client, django_user_model
):
    client.force_login(_member_of(django_user_model, "Moderators"))
    thread = thread_ensure(page=make_article())
    thread_update(thread=thread, is_closed=False, guests_allowed=False)
    url = reverse("wagtailsnippets_discussion_thread:edit", args=[thread.pk])

    form = BeautifulSoup(client.get(url).content, "html.parser")
    assert form.select_one('[name="is_closed"]') is not None
    assert form.select_one('[name="guests_allowed"]') is None

    _edit_thread(client, thread, is_closed="on", guests_allowed="true")
    thread.refresh_from_db()
    assert thread.is_closed and thread.guests_allowed is False


def test_editors_keep_what_they_had_and_moderators_gain_no_rules_or_thresholds(
    client, django_user_model
):
    thread = thread_ensure(page=make_article())
    client.force_login(_member_of(django_user_model, "Editors"))
    assert _edit_thread(client, thread, is_closed="on").status_code == 302  # sent away
    thread.refresh_from_db()
    assert not thread.is_closed

    client.force_login(_member_of(django_user_model, "Moderators"))
    for snippet in ("rule", "scorerthreshold", "moderationsettings"):
        response = client.get(reverse(f"wagtailsnippets_moderation_{snippet}:list"))
        assert (response.status_code, response["Location"]) == (302, "/admin/")
