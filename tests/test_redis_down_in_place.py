"""While Redis (the shared cache, REDIS_URL) is stopped, a reader's write the rate limits cannot
count answers as the comment form does: in its own place, with the form as it was sent (where
there is one), why nothing changed, a 503 with Retry-After, and nothing changed. An answer for
htmx is marked (X-Refused: unreachable) so that the site's script puts it in place, as it does a
422 or a 429, where it used to fall to the site's whole "Try again in a minute" page. Redis is
faked only by a port on loopback that nobody listens at."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from core import cache as shared_cache
from discussion.models import Comment, Reaction
from discussion.services import comment_create, thread_ensure
from discussion.tests.factories import make_comment, make_thread
from discussion.tests.readers import make_reader
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
NOT_NOW = "The site cannot take changes for a moment, and nothing was changed."
NO_PREVIEW = "The site cannot show previews for a moment"


@pytest.fixture
def redis_refusing(settings, monkeypatch):
    """Redis stopped: nothing listens at its port, and no earlier failure is remembered (the
    process skips Redis for a while after one)."""
    monkeypatch.setattr(shared_cache, "_quiet_until", 0.0)
    monkeypatch.setattr(shared_cache, "_warned_at", -3600.0)
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "core.cache.SharedRedisCache", "LOCATION": "redis://127.0.0.1:1/0"},
    }
    shared_cache._clients.clear()  # each process keeps one client per server; start afresh
    yield
    shared_cache._clients.clear()


def _soup(answer) -> BeautifulSoup:
    return BeautifulSoup(answer.content, "html.parser")


def _refused_for_now(answer) -> None:
    assert answer.status_code == 503
    assert int(answer["Retry-After"]) > 0


def test_a_preview_asked_for_while_redis_is_stopped_keeps_the_draft(redis_refusing):
    article = make_article()

    answer = Client().post(
        article.url,
        {"body": "A draft I mean to **reread**.", "author_name": "Ola", "preview": "1"},
    )

    _refused_for_now(answer)
    form = _soup(answer).select_one("#comment-form")
    assert form.select_one("textarea[name=body]").get_text() == "A draft I mean to **reread**."
    assert form.select_one("input[name=author_name]")["value"] == "Ola"
    assert NO_PREVIEW in form.select_one("[role=alert]").get_text()
    assert form.select_one(".comment-preview") is None
    assert not Comment.objects.exists()


def test_a_preview_asked_for_by_htmx_while_redis_is_stopped_comes_back_to_go_in_place(
    redis_refusing,
):
    article = make_article()

    answer = Client().post(
        article.url,
        {"body": "A draft I mean to reread.", "author_name": "Ola", "preview": "1"},
        **HTMX,
    )

    _refused_for_now(answer)
    assert answer["X-Refused"] == "unreachable"  # site.js swaps it in, as a 429
    assert answer["HX-Retarget"] == "#comment-form"
    form = _soup(answer).select_one("form#comment-form")
    assert form.select_one("textarea[name=body]").get_text() == "A draft I mean to reread."
    assert NO_PREVIEW in form.select_one("[role=alert]").get_text()


def test_a_reply_posted_by_htmx_while_redis_is_stopped_comes_back_to_go_in_place(
    redis_refusing,
):
    article = make_article()
    parent = make_comment(thread_ensure(page=article), "The talks will fail.")

    answer = Client().post(
        article.url,
        {"body": "They may not.", "author_name": "Ola", "parent": parent.pk},
        **HTMX,
    )

    _refused_for_now(answer)
    assert answer["X-Refused"] == "unreachable"
    assert answer["HX-Retarget"] == f"#reply-form-{parent.pk}"
    form = _soup(answer).select_one(f"form#reply-form-{parent.pk}")
    assert form.select_one("textarea[name=body]").get_text() == "They may not."
    assert NOT_NOW in form.select_one("[role=alert]").get_text()
    assert Comment.objects.count() == 1


def _signed_in_author(body: str = "First thoughts.") -> tuple[Client, Comment]:
    reader = make_reader("Ada")
    article = make_article()
    comment = comment_create(
        thread=thread_ensure(page=article), body=body, author_name="Ada", user_id=reader.pk
    )
    client = Client()
    client.force_login(reader)
    return client, Comment.objects.get(pk=comment.pk)


def test_an_edits_preview_asked_for_while_redis_is_stopped_keeps_the_new_text(redis_refusing):
    client, comment = _signed_in_author()

    answer = client.post(
        f"/discussion/comments/{comment.pk}/edit/",
        {"body": "Second, better thoughts.", "preview": "1"},
    )

    _refused_for_now(answer)
    page = _soup(answer).select_one("main")
    assert page.select_one("textarea[name=body]").get_text() == "Second, better thoughts."
    assert NO_PREVIEW in page.select_one("[role=alert]").get_text()
    assert Comment.objects.get(pk=comment.pk).body == "First thoughts."


def test_a_deletion_asked_for_while_redis_is_stopped_keeps_the_comment_and_says_so(
    redis_refusing,
):
    client, comment = _signed_in_author()

    answer = client.post(f"/discussion/comments/{comment.pk}/delete/")

    _refused_for_now(answer)
    said = _soup(answer).select_one("main [role=alert]").get_text()
    assert NOT_NOW in said
    assert "Your comment was not deleted." in said
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PUBLISHED


def test_the_reply_email_switch_pressed_while_redis_is_stopped_changes_nothing_and_says_so(
    redis_refusing,
):
    client, comment = _signed_in_author()
    assert comment.notify_replies

    answer = client.post(
        f"/discussion/comments/{comment.pk}/reply-emails/", {"reply_emails": "off"}
    )

    _refused_for_now(answer)
    page = _soup(answer).select_one("main")
    assert "Reply emails were not changed." in page.select_one("[role=alert]").get_text()
    back = page.find("a", string="Back to the comment")["href"]
    assert back.endswith(f"?c={comment.pk}#c-{comment.pk}")
    assert Comment.objects.get(pk=comment.pk).notify_replies


def test_a_recommendation_pressed_by_htmx_while_redis_is_stopped_says_why_in_place(
    redis_refusing,
):
    comment = make_comment(thread_ensure(page=make_article()), "Worth reading.")

    answer = Client().post(f"/discussion/comments/{comment.pk}/react/", **HTMX)

    _refused_for_now(answer)
    assert answer["X-Refused"] == "unreachable"
    in_place = _soup(answer).select_one(f"#react-{comment.pk}")
    assert NOT_NOW in in_place.select_one("[role=alert]").get_text()
    assert not Reaction.objects.exists()
    assert Comment.objects.get(pk=comment.pk).reaction_count == 0


def test_a_recommendation_sent_without_javascript_while_redis_is_stopped_says_why(
    redis_refusing,
):
    article = make_article()
    comment = make_comment(thread_ensure(page=article), "Worth reading.")

    answer = Client().post(f"/discussion/comments/{comment.pk}/react/")

    _refused_for_now(answer)
    page = _soup(answer).select_one("main")
    assert NOT_NOW in page.select_one("[role=alert]").get_text()
    back = page.find("a", string="Back to the comment")["href"]
    assert back == f"{article.url}?c={comment.pk}#c-{comment.pk}"
    assert not Reaction.objects.exists()


def test_a_report_sent_by_htmx_while_redis_is_stopped_comes_back_to_go_in_place(redis_refusing):
    comment = comment_create(thread=make_thread(), body="Buy pills here.", author_name="Spam")

    answer = Client().post(
        f"/moderation/comments/{comment.pk}/report/",
        {"reason": "spam", "text": "Selling pills in every thread."},
        **HTMX,
    )

    _refused_for_now(answer)
    assert answer["X-Refused"] == "unreachable"
    form = _soup(answer).select_one("form.report-form")
    assert form.select_one("textarea[name=text]").get_text().strip() == (
        "Selling pills in every thread."
    )
    assert "nothing was changed" in form.get_text()
