"""The comment form's Preview button: the comment drawn as it would appear, under the reader's
text, with nothing saved; without JavaScript (the article again) and with htmx (the form alone)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from discussion.models import Comment
from moderation.models import Rule
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def article():
    return make_article()


def _preview(client: Client, article, body: str, **extra):
    data = {"body": body, "author_name": "Olena", "idempotency_key": "key-1", "preview": "1"}
    return client.post(article.url, data, **extra)


def _form(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser").select_one("#comment-form")


def test_a_preview_shows_the_comment_rendered_and_keeps_the_form_as_sent(client, article):
    response = _preview(client, article, "This is **important**, see [the talks](https://e.org).")

    assert response.status_code == 200
    form = _form(response)
    preview = form.select_one(".comment-preview .comment__body")
    assert preview.find("strong").get_text() == "important"
    assert preview.find("a")["href"] == "https://e.org"
    assert form.select_one("textarea").get_text() == (
        "This is **important**, see [the talks](https://e.org)."
    )
    assert form.select_one("input[name=author_name]")["value"] == "Olena"
    assert form.select_one("input[name=idempotency_key]")["value"] == "key-1"
    assert Comment.objects.count() == 0


def test_posting_after_a_preview_makes_one_comment(client, article):
    _preview(client, article, "Second thoughts, first draft.")
    data = {"body": "Second thoughts, first draft.", "author_name": "Olena"}
    for _ in range(2):  # the form's key, kept through the preview, makes a retry harmless
        client.post(article.url, {**data, "idempotency_key": "key-1"})

    assert Comment.objects.filter(body="Second thoughts, first draft.").count() == 1


def test_typed_html_is_shown_as_text_in_the_preview(client, article):
    form = _form(_preview(client, article, "<script>alert('x')</script><b>bold?</b>"))

    preview = form.select_one(".comment-preview .comment__body")
    assert preview.find("script") is None and preview.find("b") is None
    assert preview.get_text(strip=True) == "<script>alert('x')</script><b>bold?</b>"


def test_an_empty_comment_gets_the_posts_own_error_and_no_preview(client, article):
    response = _preview(client, article, "   ")

    assert response.status_code == 400
    form = _form(response)
    assert form.select_one(".comment-preview") is None
    assert "the box is empty" in form.select_one(".field__error").get_text()


def test_a_preview_is_not_screened_so_it_tells_nobody_what_the_rules_catch(client, article):
    Rule.objects.create(kind=Rule.Kind.BANNED, pattern="zorkbat")

    response = _preview(client, article, "What a zorkbat.")

    assert response.status_code == 200
    assert (
        _form(response)
        .select_one(".comment-preview")
        .get_text(strip=True)
        .endswith("What a zorkbat.")
    )
    # Posting it is screened as ever.
    posted = client.post(
        article.url, {"body": "What a zorkbat.", "author_name": "Olena", "idempotency_key": ""}
    )
    assert posted.status_code == 400
    assert Comment.objects.count() == 0


def test_with_htmx_the_form_alone_comes_back_and_the_preview_is_announced(client, article):
    response = _preview(client, article, "*Quickly* now.", **HTMX)

    assert response.status_code == 200
    assert response["HX-Retarget"] == "#comment-form"
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one("#comment-form .comment-preview em").get_text() == "Quickly"
    status = page.select_one("#discussion-status")
    assert status["hx-swap-oob"] == "innerHTML"
    assert "not posted yet" in status.get_text()


def test_with_htmx_a_reply_preview_is_announced_as_a_reply(client, article):
    parent = Client().post(
        article.url, {"body": "A comment.", "author_name": "Dee", "idempotency_key": ""}
    )
    assert parent.status_code == 302
    data = {"body": "*My* reply.", "author_name": "Olena", "idempotency_key": "key-1"}
    data.update(preview="1", parent=Comment.objects.get().pk)

    response = client.post(article.url, data, **HTMX)

    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one(".comment-preview em").get_text() == "My"
    status = page.select_one("#discussion-status").get_text()
    assert status == "Preview shown below your text. Your reply is not posted yet."


def test_previews_have_a_rate_limit_of_their_own_and_keep_the_text(client, article, settings):
    settings.COMMENT_PREVIEW_RATE = "2/m"
    for _ in range(2):
        assert _preview(client, article, "Draft").status_code == 200

    refused = _preview(client, article, "Draft, third look")

    assert refused.status_code == 429
    form = _form(refused)
    assert "previews faster than this site allows" in form.get_text()
    assert form.select_one("textarea").get_text() == "Draft, third look"
    # Posting is not held up by previews.
    client.post(article.url, {"body": "Draft", "author_name": "Olena", "idempotency_key": ""})
    assert Comment.objects.count() == 1


def _edit_page(client: Client, comment) -> BeautifulSoup:
    return BeautifulSoup(
        client.get(f"/discussion/comments/{comment.pk}/edit/").content, "html.parser"
    )


def test_the_edit_page_previews_the_changed_text_and_saves_nothing(article):
    from discussion.tests.readers import make_reader

    ada = Client()
    ada.force_login(make_reader("Ada"))
    ada.post(article.url, {"body": "First thoughts.", "idempotency_key": ""})
    comment = Comment.objects.get()
    opened = _edit_page(ada, comment).select_one("input[name=opened]")["value"]

    response = ada.post(
        f"/discussion/comments/{comment.pk}/edit/",
        {"body": "Second, *better* thoughts.", "opened": opened, "preview": "1"},
    )

    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    preview = page.select_one("#edit-preview")
    assert preview.has_attr("autofocus")
    assert preview.select_one(".comment__body em").get_text() == "better"
    assert page.select_one("#edit-body").get_text() == "Second, *better* thoughts."
    assert page.select_one("input[name=opened]")["value"]  # still saveable, as any page drawn
    comment.refresh_from_db()
    assert comment.body == "First thoughts." and comment.edited_at is None

    # Saving afterwards goes ahead as ever.
    saved = ada.post(
        f"/discussion/comments/{comment.pk}/edit/",
        {"body": "Second, *better* thoughts.", "opened": opened},
    )
    assert saved.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Second, *better* thoughts."


def test_an_edit_preview_of_an_empty_text_says_why_and_keeps_the_page(article):
    from discussion.tests.readers import make_reader

    ada = Client()
    ada.force_login(make_reader("Ada"))
    ada.post(article.url, {"body": "First thoughts.", "idempotency_key": ""})
    comment = Comment.objects.get()

    response = ada.post(f"/discussion/comments/{comment.pk}/edit/", {"body": "  ", "preview": "1"})

    assert response.status_code == 400
    page = BeautifulSoup(response.content, "html.parser")
    assert "the box is empty" in page.select_one("#edit-body-error").get_text()
    assert page.select_one("#edit-preview") is None
