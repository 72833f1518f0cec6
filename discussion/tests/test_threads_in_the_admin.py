"""Discussions in the Wagtail admin are edited (closed, opened to guests), never added or deleted:
a thread comes from its article, and deleting one took its comments, reports and appeals with
it. A page whose thread row is gone anyway gets a new one on its next comment."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from discussion.models import Comment, Thread
from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

THREADS = "/admin/snippets/discussion/thread/"


@pytest.fixture
def staff_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("boss", "b@example.com", "pw"))
    return client


def test_the_discussions_list_offers_no_add_button_and_the_add_address_makes_nothing(
    staff_client,
):
    thread_ensure(page=make_article())
    listing = BeautifulSoup(staff_client.get(THREADS).content, "html.parser")
    assert listing.select_one(f"a[href='{THREADS}add/']") is None

    staff_client.post(f"{THREADS}add/", {"is_closed": "on", "guests_allowed": ""})

    assert Thread.objects.filter(page__isnull=True).count() == 0


def test_a_discussion_cannot_be_deleted_from_the_admin_and_keeps_its_comments(staff_client):
    thread = thread_ensure(page=make_article())
    make_comment(thread, "Kept, with its reports and appeals.")
    edit = BeautifulSoup(staff_client.get(f"{THREADS}edit/{thread.pk}/").content, "html.parser")
    assert edit.select_one(f"a[href^='{THREADS}delete/']") is None

    staff_client.post(f"{THREADS}delete/{thread.pk}/")
    staff_client.post(f"/admin/bulk/discussion/thread/delete/?id={thread.pk}")

    assert Thread.objects.filter(pk=thread.pk).exists()
    assert Comment.objects.filter(thread=thread).count() == 1


def test_a_comment_on_an_article_whose_thread_row_went_makes_it_a_new_one(client):
    article = make_article()
    form = {"body": "The first one.", "author_name": "Olena", "idempotency_key": "1"}
    assert client.post(article.url, form).status_code == 302  # this process now knows the thread
    Thread.objects.filter(page=article).delete()

    response = client.post(article.url, {**form, "body": "After it went.", "idempotency_key": "2"})

    assert response.status_code == 302
    assert Comment.objects.get(body="After it went.").thread.page_id == article.pk
