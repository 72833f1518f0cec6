"""The edit and delete pages: owners change their comment, anyone else gets a 403."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
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


def test_the_edit_box_tells_its_limit_but_never_cuts_what_is_typed(client, article):
    comment = _post_comment(client, article)
    page = BeautifulSoup(
        client.get(f"/discussion/comments/{comment.pk}/edit/").content, "html.parser"
    )
    assert not page.select_one("#edit-body").has_attr("maxlength")
    assert page.select_one("#edit-body-hint").get_text() == "Up to 5,000 characters."


def test_an_over_long_edit_comes_back_whole_saying_how_much_to_cut(client, article):
    comment = _post_comment(client, article)
    body = ("A long and careful correction to what I said before. " * 130)[:6599] + "!"
    response = client.post(f"/discussion/comments/{comment.pk}/edit/", {"body": body})
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one("#edit-body").get_text() == body
    assert page.select_one("#edit-errors").get_text(strip=True) == (
        "Your comment is 6,600 characters long; the limit is 5,000. Please shorten it by 1,600."
    )


def test_a_readers_own_controls_share_one_row_with_no_separator_left_over(client, article):
    client.force_login(make_reader("Ada"))
    comment = _post_comment(client, article)
    # Parsed as a browser parses it (html5lib), which closes a <p> at a <form> inside it.
    page = BeautifulSoup(client.get(article.url).content, "html5lib")
    own = page.select_one(f"#c-{comment.pk} .comment__own")
    controls = [c.get_text(" ", strip=True) for c in own.select("a, button")]
    assert controls == ["Edit your comment", "Delete your comment", "Mute reply emails"]
    separators = [t for t in own.find_all(string=True) if not t.find_parent(["a", "button"])]
    assert "".join(separators).strip() == ""
