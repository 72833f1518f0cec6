"""A headline corrected after publication is corrected wherever the thread names the article."""

from __future__ import annotations

import importlib

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.db import connection
from django.test import Client

from discussion.models import Comment, Thread
from discussion.services import comment_create
from discussion.tests.readers import make_reader
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

migration = importlib.import_module("discussion.migrations.0010_thread_titles_from_pages")


def _retitle(article, title: str, *, publish: bool = True) -> None:
    article.refresh_from_db()
    article.title = title
    revision = article.save_revision()
    if publish:
        revision.publish()


@pytest.fixture
def moderator(django_user_model):
    return django_user_model.objects.create_superuser("desk", "desk@example.com", "pw-long-enough")


def test_publishing_a_new_headline_renames_it_on_the_profile_and_in_the_queue(moderator):
    article = make_article(title="Harbour fire closes Dover ferry terminal")
    thread = Thread.objects.get(page=article)
    ada = make_reader("Ada")
    comment_create(thread=thread, body="Well reported.", author_name="Ada", user_id=ada.pk)
    comment_create(thread=thread, body="The minister is a moron.", author_name="Olena")
    version = thread.version

    _retitle(article, "Harbour fire shuts Dover ferry terminal for six hours")

    thread.refresh_from_db()
    assert thread.title == "Harbour fire shuts Dover ferry terminal for six hours"
    assert thread.version > version  # the thread's cached fragments go stale
    profile = BeautifulSoup(Client().get(f"/readers/{ada.reader.pk}/").content, "html.parser")
    [link] = profile.select(".comment__meta a")
    assert link.get_text() == "Harbour fire shuts Dover ferry terminal for six hours"
    staff = Client()
    staff.force_login(moderator)
    queue = BeautifulSoup(staff.get("/admin/moderation/queue/pending/").content, "html.parser")
    [card] = queue.select("[data-mod-card]")
    assert "Harbour fire shuts Dover ferry terminal for six hours" in card.get_text(" ")
    options = [o.get_text() for o in queue.select("#mod-filter-article option")]
    assert options == ["All articles", "Harbour fire shuts Dover ferry terminal for six hours"]


def test_a_new_headline_saved_as_a_draft_leaves_the_thread_as_readers_see_the_article():
    article = make_article(title="As published")
    _retitle(article, "Not yet published", publish=False)
    assert Thread.objects.get(page=article).title == "As published"


def test_publishing_again_with_the_same_headline_writes_nothing_to_the_thread():
    article = make_article(title="Unchanged")
    version = Thread.objects.get(page=article).version
    _retitle(article, "Unchanged")
    assert Thread.objects.get(page=article).version == version


def test_the_migration_gives_existing_threads_their_pages_live_headline():
    article = make_article(title="The live headline")
    Thread.objects.filter(page=article).update(title="An old headline")
    _retitle(article, "A draft headline", publish=False)

    migration.titles_from_pages(apps, connection.schema_editor())

    assert Thread.objects.get(page=article).title == "The live headline"
    assert not Comment.objects.exists()
