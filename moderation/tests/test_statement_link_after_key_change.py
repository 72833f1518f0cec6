"""The link to a comment's statement of reasons in an email sent before the operator changed
the secret key (docs/deploy.md, "Changing the secret key": the new key in SECRET_KEY, the old
one in SECRET_KEY_FALLBACKS) still opens the statement while the old key is a fallback; it was
checked with SECRET_KEY alone, so every such link answered "There is no page at this address."
the moment the key changed. Once the old key is dropped, its links open nothing."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from discussion.models import Comment
from moderation.actions import RejectComment
from newsroom.tests.factories import make_article

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("email_tasks_run_as_queued")]

OLD_KEY = "the-old-key-" + "o" * 50
NEW_KEY = "the-new-key-" + "n" * 50


@pytest.fixture
def link_emailed_under_the_old_key(
    client, moderator, mailoutbox, django_capture_on_commit_callbacks, settings
):
    """A guest's comment, rejected while the site's key was OLD_KEY: the link in their email."""
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = OLD_KEY, []
    settings.SITE_BASE_URL = "https://news.example"
    client.post(
        make_article().url,
        {"body": "The minister is a moron.", "author_name": "Olena",
         "author_email": "olena@example.com", "idempotency_key": ""},
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        RejectComment(comment=Comment.objects.get(), user=moderator, reason_code="abuse").execute()
    [email] = mailoutbox
    return re.search(r"https://news\.example(\S+)", email.body).group(1)


def test_the_link_opens_its_statement_while_the_old_key_is_a_fallback(
    link_emailed_under_the_old_key, settings
):
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW_KEY, [OLD_KEY]

    response = Client().get(link_emailed_under_the_old_key)

    assert response.status_code == 200
    text = BeautifulSoup(response.content, "html.parser").select_one("main").get_text(" ")
    assert "It attacks or insults a person." in text


def test_the_link_opens_nothing_once_the_old_key_is_no_fallback(
    link_emailed_under_the_old_key, settings
):
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW_KEY, []

    response = Client().get(link_emailed_under_the_old_key)

    assert response.status_code == 404
    assert "It attacks or insults a person." not in response.content.decode()
