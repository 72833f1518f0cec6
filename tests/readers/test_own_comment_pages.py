"""The edit and delete pages: owners change their comment, anyone else gets a 403."""

from __future__ import annotations

import pytest
from django.test import Client

from discussion.models import Comment
from discussion.tests.readers import make_reader
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article()


def _post_comment(client, article, body="Original.", name="Visitor"):
    client.post(article.url, {"body": body, "author_name": name, "idempotency_key": ""})
    return Comment.objects.latest("id")


def test_a_signed_in_reader_edits_their_comment_and_it_says_edited(client, article):
    client.force_login(make_reader("Ada"))
    comment = _post_comment(client, article)
    page = client.get(article.url).content.decode()
    assert f"/discussion/comments/{comment.pk}/edit/" in page
    response = client.post(f"/discussion/comments/{comment.pk}/edit/", {"body": "Improved."})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Improved." in page and 'class="comment__edited"' in page


def test_editing_someone_elses_comment_answers_403_and_changes_nothing(client, article):
    client.force_login(make_reader("Ada"))
    comment = _post_comment(client, article)
    other = Client()
    other.force_login(make_reader("Eve"))
    response = other.post(f"/discussion/comments/{comment.pk}/edit/", {"body": "Hijacked."})
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.body == "Original."


def test_a_guest_edits_their_comment_with_the_signed_cookie(client, article):
    comment = _post_comment(client, article)
    response = client.post(f"/discussion/comments/{comment.pk}/edit/", {"body": "Fixed typo."})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Fixed typo."
    stranger = Client()
    assert (
        stranger.post(f"/discussion/comments/{comment.pk}/edit/", {"body": "x"}).status_code == 403
    )


def test_a_forged_guest_cookie_gives_no_rights(client, article):
    comment = _post_comment(client, article)
    stranger = Client()
    stranger.cookies["broadsheet_guest_comments"] = str(comment.pk)
    assert stranger.post(f"/discussion/comments/{comment.pk}/delete/").status_code == 403


def test_deleting_asks_on_get_and_deletes_on_post(client, article):
    comment = _post_comment(client, article)
    assert (
        b"Delete your comment?" in client.get(f"/discussion/comments/{comment.pk}/delete/").content
    )
    assert Comment.objects.filter(pk=comment.pk).exists()
    client.post(f"/discussion/comments/{comment.pk}/delete/")
    assert not Comment.objects.filter(pk=comment.pk).exists()


def test_an_edit_after_the_window_shows_a_message(client, article, settings):
    comment = _post_comment(client, article)
    Comment.objects.filter(pk=comment.pk).update(
        created_at=comment.created_at.replace(year=comment.created_at.year - 1)
    )
    response = client.post(f"/discussion/comments/{comment.pk}/edit/", {"body": "Late."})
    assert response.status_code in (400, 403)
    comment.refresh_from_db()
    assert comment.body == "Original."
