"""A display name that is really markup is shown as the text it is everywhere a name appears:
the article page, the moderators' queue, the read API, the comments feed, the reply email and the
daily digest (shared/design/bad-input.md, "display name ... escaped everywhere")."""

from __future__ import annotations

import io
import json

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command

from accounts.services import reader_set_notifications
from discussion.services import comment_create, thread_ensure
from discussion.tests.factories import make_comment
from discussion.tests.readers import make_reader
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

HOSTILE = ['"><svg onload=alert(1)>', "<b>x</b>", "<img src=x onerror=alert(2)>"]


@pytest.fixture
def article():
    return make_article()


def _no_markup_from_names(soup: BeautifulSoup) -> None:
    assert soup.find("svg", attrs={"onload": True}) is None
    assert soup.find("img", attrs={"onerror": True}) is None
    assert all(tag.get_text() != "x" for tag in soup.find_all("b"))


def test_the_article_page_shows_markup_names_as_text(client, article):
    thread = thread_ensure(page=article)
    for name in HOSTILE:
        make_comment(thread, f"A comment by {len(name)}", name=name)

    page = BeautifulSoup(client.get(article.url).content, "html.parser")

    _no_markup_from_names(page)
    shown = page.select_one("#comment-list").get_text()
    for name in HOSTILE:
        assert name in shown


def test_the_moderation_queue_shows_markup_names_as_text(client, article):
    thread = thread_ensure(page=article)
    for name in HOSTILE:
        # Held for a moderator: an insult from a new commenter.
        comment_create(thread=thread, body="You moron, read it again.", author_name=name)
    client.force_login(
        get_user_model().objects.create_superuser("boss", "boss@example.com", "pw-long-enough")
    )

    queue = BeautifulSoup(client.get("/admin/moderation/queue/pending/").content, "html.parser")

    _no_markup_from_names(queue)
    cards = " ".join(card.get_text(" ") for card in queue.select("[data-mod-card]"))
    for name in HOSTILE:
        assert name in cards


def test_the_read_api_gives_markup_names_as_plain_json_strings(client, article):
    thread = thread_ensure(page=article)
    for name in HOSTILE:
        make_comment(thread, "A comment", name=name)

    answer = client.get(f"/api/v1/threads/comments?article={article.pk}")

    assert answer["Content-Type"].startswith("application/json")
    assert answer["X-Content-Type-Options"] == "nosniff"
    names = [comment["author_name"] for comment in json.loads(answer.content)["comments"]]
    assert names == HOSTILE


def test_the_comments_feed_gives_markup_names_as_their_text(client, article):
    thread = thread_ensure(page=article)
    for name in HOSTILE:
        make_comment(thread, "A comment", name=name)

    answer = client.get(f"/feeds/comments/{article.pk}/")

    feed = feedparser.parse(answer.content)
    assert not feed.bozo
    assert sorted(entry.author for entry in feed.entries) == sorted(HOSTILE)
    for name in HOSTILE:
        assert name.encode() not in answer.content  # only ever escaped in the XML


def test_the_reply_email_shows_markup_names_as_text(
    settings, article, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    ada = make_reader("Ada", email="ada@example.com")
    thread = thread_ensure(page=article)
    parent = make_comment(thread, "My view.", name="Ada", user_id=ada.pk)
    with django_capture_on_commit_callbacks(execute=True):
        for name in HOSTILE:
            make_comment(thread, "I disagree.", name=name, parent=parent)

    assert [message.subject for message in mail.outbox] == [
        f"{name} replied to your comment" for name in HOSTILE
    ]
    for name, message in zip(HOSTILE, mail.outbox, strict=True):
        html, _mimetype = message.alternatives[0]
        email = BeautifulSoup(html, "html.parser")
        _no_markup_from_names(email)
        assert name in email.get_text()


def test_the_daily_digest_shows_markup_names_as_text(
    settings, article, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    ada = make_reader("Ada", email="ada@example.com")
    reader_set_notifications(reader=ada.reader, notify_replies=True, reply_digest=True)
    thread = thread_ensure(page=article)
    parent = make_comment(thread, "My view.", name="Ada", user_id=ada.pk)
    with django_capture_on_commit_callbacks(execute=True):
        for name in HOSTILE:
            make_comment(thread, "I disagree.", name=name, parent=parent)

    call_command("send_reply_digests", stdout=io.StringIO())

    [digest] = mail.outbox
    html, _mimetype = digest.alternatives[0]
    email = BeautifulSoup(html, "html.parser")
    _no_markup_from_names(email)
    for name in HOSTILE:
        assert name in email.get_text()
