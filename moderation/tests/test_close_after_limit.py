"""A "close after days" long enough to pass the last date Python has cannot take an article down:
the settings form refuses it, and a value stored before that is read as "never closes"."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from discussion.services import thread_ensure
from moderation.models import ModerationSettings
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_the_settings_form_refuses_a_closing_age_over_a_century(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("boss", "b@example.com", "pw"))
    section = make_article().get_parent()
    response = client.post(
        "/admin/snippets/moderation/moderationsettings/add/",
        {"page": section.pk, "mode": "", "close_after_days": "3000000"},
    )
    assert response.status_code == 200  # the form again, not a redirect
    error = BeautifulSoup(response.content, "html.parser").select_one(".error-message")
    assert error is not None and "At most 36,500 days" in error.get_text()
    assert not ModerationSettings.objects.exists()


def test_an_article_under_a_huge_stored_closing_age_still_takes_comments(client):
    article = make_article()
    thread_ensure(page=article)
    ModerationSettings.objects.create(page=article.get_parent(), close_after_days=3_000_000)
    response = client.get(article.url)
    assert response.status_code == 200
    comments = BeautifulSoup(response.content, "html.parser").select_one("#comments")
    assert comments.find("textarea", attrs={"name": "body"}) is not None
