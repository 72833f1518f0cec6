"""A comment's POST finds its thread without reading it, and still obeys the thread's flags as
they are in the database when it is saved: closed or opened to guests by another app process,
whose change this process has not seen."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from discussion.models import Comment, Thread
from discussion.services import thread_ensure
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def _comment(body: str, key: str) -> dict:
    return {"body": body, "author_name": "Olena", "idempotency_key": key, "parent": ""}


@pytest.fixture
def article():
    article = make_article()
    thread_ensure(page=article)
    return article


def test_a_thread_closed_by_another_process_refuses_the_comment_and_keeps_the_text(client, article):
    assert client.post(article.url, _comment("The first one.", "1")).status_code == 302
    # Closed elsewhere: the row changes, and nothing in this process hears of it.
    Thread.objects.filter(page=article).update(is_closed=True)

    response = client.post(article.url, _comment("A second thought on the talks.", "2"))

    assert response.status_code == 400
    assert "This discussion is closed" in response.content.decode()
    # No form to post it with any more: the text comes back to copy.
    kept = BeautifulSoup(response.content, "html.parser").select_one("textarea#comment-form-kept")
    assert kept.text == "A second thought on the talks." and kept.has_attr("readonly")
    assert Comment.objects.count() == 1


def test_a_thread_opened_to_guests_by_another_process_takes_a_guests_comment(client, article):
    Thread.objects.filter(page=article).update(guests_allowed=False)
    refused = client.post(article.url, _comment("Let me in.", "1"))
    assert refused.status_code == 400 and Comment.objects.count() == 0
    kept = BeautifulSoup(refused.content, "html.parser").select_one("textarea#comment-form-kept")
    assert kept.text == "Let me in."

    Thread.objects.filter(page=article).update(guests_allowed=True)
    response = client.post(article.url, _comment("Thank you for opening it.", "2"))

    assert response.status_code == 302
    assert Comment.objects.get().body == "Thank you for opening it."
