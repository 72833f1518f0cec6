"""Across apps: signed-in readers comment under their display name, and a site or an article
may require an account."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from discussion.errors import CommentRefused
from discussion.models import Comment, Thread
from discussion.services import thread_ensure
from discussion.tests.factories import make_comment, make_thread
from discussion.tests.readers import make_reader
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article()


def _post(client, page, **data):
    payload = {"body": "Well argued.", "author_name": "", "idempotency_key": "", **data}
    return client.post(page.url, payload)


def test_a_signed_in_reader_comments_under_their_display_name(client, article):
    user = make_reader("Ada Lovelace")
    client.force_login(user)
    response = _post(client, article, author_name="Someone Else")
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.author_id == user.pk
    assert comment.author_name == "Ada Lovelace"


def test_the_form_hides_the_name_field_for_a_signed_in_reader(client, article):
    client.force_login(make_reader("Ada"))
    html = client.get(article.url).content.decode()
    assert 'name="author_name"' not in html
    assert "Commenting as <strong>Ada</strong>" in html


def test_guests_still_see_the_name_field_and_the_comment_label(client, article):
    html = client.get(article.url).content.decode()
    assert 'name="author_name"' in html
    assert "Enter comments here:" in html


def test_when_the_site_requires_accounts_a_guest_is_asked_to_sign_in(client, article, settings):
    settings.COMMENTS_REQUIRE_ACCOUNT = True
    html = client.get(article.url).content.decode()
    assert "for signed-in readers" in html
    assert 'name="body"' not in html
    response = _post(client, article, author_name="Guest")
    assert response.status_code == 400
    assert b"for signed-in readers" in response.content
    assert not Comment.objects.exists()


def test_a_thread_can_allow_guests_on_a_site_that_requires_accounts(settings):
    settings.COMMENTS_REQUIRE_ACCOUNT = True
    thread = make_thread()
    Thread.objects.filter(pk=thread.pk).update(guests_allowed=True)
    assert make_comment(thread, name="Guest").pk


def test_a_thread_can_require_accounts_on_a_site_that_allows_guests():
    thread = make_thread()
    Thread.objects.filter(pk=thread.pk).update(guests_allowed=False)
    with pytest.raises(CommentRefused, match="sign in"):
        make_comment(thread, name="Guest")
    user = make_reader("Member")
    assert make_comment(thread, name="Member", user_id=user.pk).author_id == user.pk


def test_a_guest_cannot_post_under_a_members_name_or_a_look_alike(client, article):
    make_reader("Ada Lovelace")
    response = _post(client, article, author_name="ADA LOVELACE")
    assert response.status_code == 400
    assert b"belongs to a member" in response.content
    assert not Comment.objects.exists()


@pytest.mark.parametrize("name", ["Demo Reader.", "demo-reader"])
def test_a_guest_cannot_post_under_a_members_name_with_punctuation_added(client, article, name):
    make_reader("Demo Reader")
    response = _post(client, article, author_name=name, body="I was there too.")
    assert response.status_code == 400
    page = BeautifulSoup(response.content, "html.parser")
    assert "belongs to a member" in page.select_one("#comment-form-name-error").get_text()
    assert page.select_one("textarea[name=body]").text == "I was there too."
    assert not Comment.objects.exists()


def test_a_guest_whose_name_differs_from_a_members_in_letters_still_posts(client, article):
    make_reader("Demo Reader")
    response = _post(client, article, author_name="Dora Reader")
    assert response.status_code == 302
    assert Comment.objects.get().author_name == "Dora Reader"


@pytest.fixture
def members_only_comment(article):
    """A published comment on ``article``, whose thread then takes members' comments only."""
    thread = thread_ensure(page=article)
    comment = make_comment(thread, name="Member")
    Thread.objects.filter(pk=thread.pk).update(guests_allowed=False)
    return comment


def _reply_slot(client, comment) -> BeautifulSoup:
    """What a press of Reply puts under the comment (htmx)."""
    response = client.get(f"/discussion/comments/{comment.pk}/reply/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_a_guests_reply_on_a_members_only_thread_is_a_sign_in_prompt_not_a_form(
    client, article, members_only_comment
):
    slot = _reply_slot(client, members_only_comment)

    assert slot.find("form") is None
    assert "Replies here are for signed-in readers." in slot.get_text()
    assert slot.find("a", string="Sign in")["href"] == (
        f"/accounts/login/?next={article.url}%3Freply_to%3D{members_only_comment.pk}%23comment-form"
    )


def test_a_members_reply_on_a_members_only_thread_is_the_form(client, members_only_comment):
    client.force_login(make_reader("Ada"))

    slot = _reply_slot(client, members_only_comment)

    assert slot.find("form").find("textarea", attrs={"name": "body"}) is not None


def test_without_javascript_a_guests_reply_on_a_members_only_thread_signs_in_back_to_it(
    client, article, members_only_comment
):
    page = client.get(f"{article.url}?reply_to={members_only_comment.pk}")

    notice = BeautifulSoup(page.content, "html.parser").find(id="comment-form")
    assert notice.get_text().endswith("to reply to Member.")
    assert notice.find("a", string="Sign in")["href"] == (
        f"/accounts/login/?next={article.url}%3Freply_to%3D{members_only_comment.pk}%23comment-form"
    )
