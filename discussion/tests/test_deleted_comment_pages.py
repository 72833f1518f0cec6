"""Going back to a deleted comment's pages says it was deleted and leads to the article.

After a deletion the browser's Back button lands on the comment's delete page (the article's
Delete link opens it; its form posts and is redirected to the article). A comment deleted before
anyone replied leaves no row, so only the browser that deleted it can be told so
(``discussion.own_deletions``); anyone else, like an id that never was, gets 404.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from discussion.models import Comment
from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from discussion.tests.readers import make_reader
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article()


@pytest.fixture
def ada():
    return make_reader("Ada")


def _deleted_by(client: Client, comment: Comment) -> None:
    response = client.post(f"/discussion/comments/{comment.pk}/delete/")
    assert response.status_code == 302


def _page(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def _back_link(response) -> str:
    link = _page(response).find("a", string="Back to the article")
    assert link is not None
    return link["href"]


def test_the_delete_page_of_ones_deleted_comment_says_it_was_deleted(client, article, ada):
    comment = make_comment(thread_ensure(page=article), "Second thoughts.", user_id=ada.pk)
    client.force_login(ada)
    _deleted_by(client, comment)

    back = client.get(f"/discussion/comments/{comment.pk}/delete/")

    assert back.status_code == 410
    assert "This comment was deleted." in _page(back).main.get_text()
    assert _back_link(back) == f"{article.url}#comments"


def test_the_edit_page_of_ones_deleted_comment_says_it_was_deleted(client, article, ada):
    comment = make_comment(thread_ensure(page=article), "Second thoughts.", user_id=ada.pk)
    client.force_login(ada)
    _deleted_by(client, comment)

    back = client.get(f"/discussion/comments/{comment.pk}/edit/")

    assert back.status_code == 410
    assert _back_link(back) == f"{article.url}#comments"


def test_a_guest_going_back_after_deleting_is_told_it_was_deleted(client, article):
    posted = client.post(
        article.url, {"body": "A guest's second thoughts.", "author_name": "Ira"}, follow=False
    )
    assert posted.status_code == 302
    comment = Comment.objects.get(body="A guest's second thoughts.")
    _deleted_by(client, comment)

    back = client.get(f"/discussion/comments/{comment.pk}/delete/")

    assert back.status_code == 410
    assert _back_link(back) == f"{article.url}#comments"


def test_the_delete_page_of_ones_deleted_comment_with_replies_leads_to_its_shell(
    client, article, ada
):
    thread = thread_ensure(page=article)
    comment = make_comment(thread, "Second thoughts.", user_id=ada.pk)
    make_comment(thread, "A reply.", name="Bea", parent=comment)
    client.force_login(ada)
    _deleted_by(client, comment)

    back = client.get(f"/discussion/comments/{comment.pk}/delete/")

    assert back.status_code == 410
    assert "This comment was deleted; its replies are kept." in _page(back).main.get_text()
    assert _back_link(back) == f"{article.url}?c={comment.pk}#c-{comment.pk}"


def test_the_link_to_ones_deleted_comment_opens_its_article_saying_it_was_deleted(
    client, article, ada
):
    comment = make_comment(thread_ensure(page=article), "Second thoughts.", user_id=ada.pk)
    client.force_login(ada)
    _deleted_by(client, comment)
    client.get(article.url)  # the deletion's own note is read on the article it returns to

    followed = client.get(f"/c/{comment.pk}/")

    assert followed.status_code == 302
    assert urlsplit(followed["Location"]).path == article.url
    notes = _page(client.get(followed["Location"])).select_one(
        ".messages[data-announce=page-status]"
    )
    assert notes is not None and notes.get_text(strip=True) == "This comment was deleted."


PAGES = ("/c/{}/", "/discussion/comments/{}/delete/", "/discussion/comments/{}/edit/")


def test_a_comment_someone_else_deleted_is_missing_for_another_reader(client, article, ada):
    comment = make_comment(thread_ensure(page=article), "Second thoughts.", user_id=ada.pk)
    client.force_login(ada)
    _deleted_by(client, comment)

    answers = {path: Client().get(path.format(comment.pk)).status_code for path in PAGES}

    assert answers == dict.fromkeys(PAGES, 404)


def test_a_comment_that_never_was_is_missing_for_a_reader_who_deleted_one(client, article, ada):
    comment = make_comment(thread_ensure(page=article), "Second thoughts.", user_id=ada.pk)
    client.force_login(ada)
    _deleted_by(client, comment)
    never = comment.pk + 1000

    answers = {path: client.get(path.format(never)).status_code for path in PAGES}

    assert answers == dict.fromkeys(PAGES, 404)
