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
from django.urls import reverse
from wagtail.models import PageViewRestriction

from accounts.models import Reader
from accounts.notifications import unsubscribe_token
from accounts.services import reader_set_notifications
from core import cache as shared_cache
from discussion.models import Comment, Reaction
from discussion.services import comment_create, thread_ensure
from discussion.tests.factories import make_comment, make_thread
from discussion.tests.readers import make_reader, reauthenticate
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
NOT_NOW = "The site cannot take changes for a moment, and nothing was changed."
NO_PREVIEW = "The site cannot show previews for a moment"


@pytest.fixture
def stop_redis(settings, monkeypatch):
    """Stops Redis when called (nothing listens at its port), part-way through a test if need
    be; no earlier failure is remembered (the process skips Redis for a while after one)."""
    monkeypatch.setattr(shared_cache, "_quiet_until", 0.0)
    monkeypatch.setattr(shared_cache, "_warned_at", -3600.0)

    def stop() -> None:
        settings.CACHES = {
            **settings.CACHES,
            "default": {
                "BACKEND": "core.cache.SharedRedisCache",
                "LOCATION": "redis://127.0.0.1:1/0",
            },
        }
        shared_cache._clients.clear()  # each process keeps one client per server; start afresh

    yield stop
    shared_cache._clients.clear()


@pytest.fixture
def redis_refusing(stop_redis):
    """Redis stopped from the start."""
    stop_redis()


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


def test_a_recommendation_pressed_by_htmx_while_redis_is_stopped_says_why_beside_the_button(
    stop_redis,
):
    comment = make_comment(thread_ensure(page=make_article()), "Worth reading.")
    reader = Client()
    reader.force_login(make_reader())
    assert reader.post(f"/discussion/comments/{comment.pk}/react/", **HTMX).status_code == 200
    stop_redis()

    answer = reader.post(f"/discussion/comments/{comment.pk}/react/", **HTMX)

    _refused_for_now(answer)
    assert answer["X-Refused"] == "unreachable"
    in_place = _soup(answer).select_one(f"#react-{comment.pk}")
    assert NOT_NOW in in_place.select_one("[role=alert]").get_text()
    # The button stays, as the reader left it, to be pressed again once Redis is back.
    button = in_place.select_one("button.reaction__button")
    assert button["aria-pressed"] == "true"
    assert button.select_one(".reaction__count").get_text() == "1"
    assert Reaction.objects.count() == 1
    assert Comment.objects.get(pk=comment.pk).reaction_count == 1


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


def test_download_my_data_pressed_while_redis_is_stopped_says_why_on_the_profile(stop_redis):
    ada = make_reader("Ada")
    make_comment(make_thread(), "My own words.", name="Ada", user_id=ada.pk)
    client = Client()
    client.force_login(ada)
    reauthenticate(client)  # the download asks for the password first
    stop_redis()

    answer = client.post("/readers/me/export/")

    _refused_for_now(answer)
    assert answer["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in answer
    page = _soup(answer)
    said = page.select_one(".messages[data-announce=page-status]").get_text(strip=True)
    assert said.startswith("The site cannot prepare your data for a moment")
    assert page.find("button", string="Download my data") is not None


def test_the_profiles_email_choice_sent_while_redis_is_stopped_is_not_saved_and_says_so(
    redis_refusing,
):
    ada = make_reader("Ada")
    client = Client()
    client.force_login(ada)

    answer = client.post("/accounts/notifications/", {"reply_emails": "off"})

    _refused_for_now(answer)
    page = _soup(answer).select_one("main")
    assert "Your email choice was not saved." in page.select_one("[role=alert]").get_text()
    reader = Reader.objects.get(user=ada)
    assert page.find("a", string="Back to your profile")["href"] == (
        reverse("reader_profile", args=[reader.pk]) + "#reply-emails"
    )
    assert reader.notify_replies


def test_the_unsubscribe_undo_pressed_while_redis_is_stopped_comes_back_to_press_again(
    redis_refusing,
):
    reader = Reader.objects.get(user=make_reader("Ada"))
    reader_set_notifications(reader=reader, notify_replies=False)
    token = unsubscribe_token(reader_id=reader.pk)

    answer = Client().post(f"/accounts/unsubscribe/{token}/undo/")

    _refused_for_now(answer)
    page = _soup(answer).select_one("main")
    assert "Reply emails are still off." in page.select_one("[role=alert]").get_text()
    assert page.find("button", string="Email me about replies again") is not None
    assert not Reader.objects.get(pk=reader.pk).notify_replies


def test_a_publisher_sign_on_while_redis_is_stopped_signs_no_one_in_and_says_why(
    redis_refusing,
):
    client = Client()

    answer = client.post("/accounts/sso/", {"token": "a-token-from-the-publisher"})

    _refused_for_now(answer)
    said = _soup(answer).select_one("main [role=alert]").get_text()
    assert "The site cannot sign you in for a moment" in said
    assert "_auth_user_id" not in client.session


def test_a_page_password_sent_while_redis_is_stopped_is_not_tried_and_the_form_says_why(
    redis_refusing,
):
    page = make_article()
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="tulip-7341"
    )
    form_url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk])
    client = Client()

    answer = client.post(form_url, {"password": "tulip-7341", "return_url": page.url})

    _refused_for_now(answer)
    html = answer.content.decode()
    assert "The site cannot check passwords for a moment" in html
    assert 'aria-invalid="true" aria-describedby="id_password-error"' in html
    assert f'action="{form_url}"' in html
    assert "This page needs a password" in client.get(page.url).content.decode()
