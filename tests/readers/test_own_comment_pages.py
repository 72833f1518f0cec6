"""The edit and delete pages: owners change their comment, anyone else gets a 403. The edit page
says until when, and what was opened in time can still be saved after (WCAG 2.2.1)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone

from discussion.edit_window import edit_opened_at, edit_opened_token
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


def test_when_a_comment_was_edited_is_shown_not_only_in_a_tooltip(client, article):
    # A title attribute is never seen on a phone or by a keyboard: the time is in the text.
    client.force_login(make_reader("Ada"))
    comment = _post_comment(client, article)
    client.post(f"/discussion/comments/{comment.pk}/edit/", {"body": "Improved."})
    comment.refresh_from_db()
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    edited = soup.select_one(f"#c-{comment.pk} .comment__edited")
    when = timezone.localtime(comment.edited_at)
    assert edited.get_text(" ", strip=True) == f"edited {when:%H:%M}"
    assert edited.time["datetime"] == when.isoformat()


def test_editing_someone_elses_comment_answers_403_and_changes_nothing(client, article):
    client.force_login(make_reader("Ada"))
    comment = _post_comment(client, article)
    other = Client()
    other.force_login(make_reader("Eve"))
    response = other.post(f"/discussion/comments/{comment.pk}/edit/", {"body": "Hijacked."})
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.body == "Original."


def test_deleting_someone_elses_comment_by_its_id_answers_403_and_keeps_it(client, article):
    client.force_login(make_reader("Ada"))
    comment = _post_comment(client, article)
    other = Client()
    other.force_login(make_reader("Eve"))

    response = other.post(f"/discussion/comments/{comment.pk}/delete/")

    assert response.status_code == 403
    assert Comment.objects.filter(pk=comment.pk, body="Original.").exists()


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
    assert page.select_one("#edit-body-error").get_text(strip=True) == (
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


def _edit_page(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser").select_one("main")


def _an_hour_old(comment: Comment) -> Comment:
    Comment.objects.filter(pk=comment.pk).update(created_at=comment.created_at - timedelta(hours=1))
    comment.refresh_from_db()
    return comment


def _words(element) -> str:
    return " ".join(element.get_text().split())


def _hh_mm(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def test_the_edit_page_says_until_when_in_the_sites_time_and_carries_its_opening_time(
    client, article, settings
):
    settings.TIME_ZONE = "Asia/Kolkata"  # half an hour off UTC and London: no mistaking it
    comment = _post_comment(client, article)
    ends = comment.created_at + timedelta(minutes=15)

    page = _edit_page(client.get(f"/discussion/comments/{comment.pk}/edit/"))

    said = page.select_one("#edit-time")
    assert _words(said).startswith(
        f"You can change this comment until {_hh_mm(ends)} "
        "(comments can be changed for 15 minutes after posting)."
    )
    assert "edit-time" in page.select_one("#edit-body")["aria-describedby"].split()
    token = page.select_one("input[name=opened]")["value"]
    assert edit_opened_at(comment=comment, token=token) is not None


def test_after_the_window_the_edit_page_says_editing_has_ended_and_offers_no_form(client, article):
    comment = _an_hour_old(_post_comment(client, article))
    ends = comment.created_at + timedelta(minutes=15)

    page = _edit_page(client.get(f"/discussion/comments/{comment.pk}/edit/"))

    assert page.select("form, textarea") == []
    assert _words(page.select_one("#edit-ended")) == (
        f"Editing this comment ended at {_hh_mm(ends)}: comments can be changed for "
        "15 minutes after they are posted."
    )
    assert page.find("a", string="See your comment")["href"] == f"/c/{comment.pk}/"


def test_a_page_opened_in_the_window_is_saved_after_it_has_closed(client, article):
    comment = _an_hour_old(_post_comment(client, article))
    opened = edit_opened_token(comment=comment, now=comment.created_at + timedelta(minutes=10))

    response = client.post(
        f"/discussion/comments/{comment.pk}/edit/", {"body": "Slowly improved.", "opened": opened}
    )

    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Slowly improved."


def test_a_late_save_with_a_forged_opening_time_is_refused_with_the_text_kept_and_focused(
    client, article
):
    comment = _an_hour_old(_post_comment(client, article))
    forged = str(int(timezone.now().timestamp()))  # a time, but unsigned

    response = client.post(
        f"/discussion/comments/{comment.pk}/edit/", {"body": "Too late.", "opened": forged}
    )

    assert response.status_code == 400
    page = _edit_page(response)
    message = page.select_one("#edit-errors")
    assert message.has_attr("autofocus") and message["role"] == "alert"
    assert "nothing was changed" in message.get_text()
    assert page.select_one("textarea[readonly]").get_text() == "Too late."
    assert page.select("form, textarea[name=body]") == []
    assert page.find("a", string="See your comment")["href"] == f"/c/{comment.pk}/"
    comment.refresh_from_db()
    assert comment.body == "Original."


def test_a_text_refused_in_time_comes_back_in_its_box_marked_invalid_tied_to_why_and_focused(
    client, article
):
    comment = _post_comment(client, article)

    response = client.post(f"/discussion/comments/{comment.pk}/edit/", {"body": "   "})

    page = _edit_page(response)
    box = page.select_one("form textarea[name=body]")
    assert page.select("[autofocus]") == [box]
    assert box["aria-invalid"] == "true"
    why = page.select_one(f"#{box['aria-describedby'].split()[0]}")
    assert why["role"] == "alert" and "the box is empty" in why.get_text()
    assert page.select_one("#edit-errors") is None


def test_too_many_edits_heads_the_page_with_focus_and_leaves_the_text_box_unmarked(
    client, article, settings
):
    settings.COMMENT_EDIT_RATE_LIMIT = "1/m"
    comment = _post_comment(client, article)
    client.post(f"/discussion/comments/{comment.pk}/edit/", {"body": "First change."})

    response = client.post(f"/discussion/comments/{comment.pk}/edit/", {"body": "Second change."})

    assert response.status_code == 429
    page = _edit_page(response)
    assert page.select("[autofocus]") == [page.select_one("#edit-errors")]
    box = page.select_one("form textarea[name=body]")
    assert box.get_text() == "Second change."
    assert not box.has_attr("aria-invalid")


def test_saving_an_edit_says_so_on_the_article_it_returns_to(client, article):
    comment = _post_comment(client, article)

    response = client.post(
        f"/discussion/comments/{comment.pk}/edit/", {"body": "Improved."}, follow=True
    )

    shown = BeautifulSoup(response.content, "html.parser").select_one(
        ".messages[data-announce=page-status]"
    )
    assert shown is not None and shown.get_text(strip=True) == "Your comment was saved."


def test_saving_an_edit_of_a_reply_says_the_reply_was_saved(client, article):
    parent = _post_comment(Client(), article, body="A comment.", name="Dee")
    client.post(
        article.url,
        {"body": "My reply.", "author_name": "Visitor", "idempotency_key": "", "parent": parent.pk},
    )
    reply = Comment.objects.latest("id")
    assert reply.parent_id == parent.pk and reply.status == Comment.Status.PUBLISHED

    response = client.post(
        f"/discussion/comments/{reply.pk}/edit/", {"body": "My better reply."}, follow=True
    )

    shown = BeautifulSoup(response.content, "html.parser").select_one(
        ".messages[data-announce=page-status]"
    )
    assert shown is not None and shown.get_text(strip=True) == "Your reply was saved."
