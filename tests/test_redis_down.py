"""While Redis (the shared cache, REDIS_URL) does not answer, the site is still read: pages and
the API are drawn uncached. A write the rate limits cannot count is refused with a 503, saving
nothing, and a reader's text comes back to them. Redis is faked only by what is on loopback: a
port nobody listens at, and a server that accepts connections and never answers."""

from __future__ import annotations

import json
import logging
import socket
import threading
import time

import pytest
from bs4 import BeautifulSoup
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client

from core import cache as shared_cache
from core import pagecache
from discussion.models import Comment
from discussion.services import comment_create
from discussion.tests.factories import make_thread
from discussion.tests.readers import make_reader
from moderation.actions import RejectComment
from moderation.models import Appeal, CommentReview
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def _redis_at(settings, url: str) -> None:
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "core.cache.SharedRedisCache", "LOCATION": url},
    }
    shared_cache._clients.clear()  # each process keeps one client per server; start afresh


@pytest.fixture(autouse=True)
def redis_answered_until_now(monkeypatch):
    """No earlier failure remembered (the process skips Redis for a while after one), and none
    left behind for the tests that follow, which may use a Redis that answers."""
    monkeypatch.setattr(shared_cache, "_quiet_until", 0.0)
    monkeypatch.setattr(shared_cache, "_warned_at", -3600.0)


@pytest.fixture
def redis_refusing(settings):
    """Redis stopped: nothing listens at its port."""
    _redis_at(settings, "redis://127.0.0.1:1/0")
    yield
    shared_cache._clients.clear()


class SilentServer:
    """Accepts connections, reads what it is sent, and never answers: Redis out of reach."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.accepted = 0
        self.held: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.accepted += 1
            self.held.append(connection)

    def close(self) -> None:
        self.listener.close()
        for connection in self.held:
            connection.close()


@pytest.fixture
def redis_silent(settings):
    server = SilentServer()
    _redis_at(settings, f"redis://127.0.0.1:{server.port}/0")
    yield server
    server.close()
    shared_cache._clients.clear()


def test_an_article_page_is_read_while_redis_is_stopped(redis_refusing):
    article = make_article(title="Talks resume in Istanbul")

    answer = Client().get(article.url)

    assert answer.status_code == 200
    assert "Talks resume in Istanbul" in answer.content.decode()


def test_the_api_answers_while_redis_is_stopped(redis_refusing):
    article = make_article()

    answer = Client().get("/api/v1/threads/comments", {"article": article.pk})

    assert answer.status_code == 200
    assert answer.json()["comments"] == []


def test_a_comment_posted_while_redis_is_stopped_comes_back_with_its_text(redis_refusing):
    article = make_article()

    answer = Client().post(
        article.url,
        {"body": "My view on the talks, typed with care.", "author_name": "Ola"},
    )

    assert answer.status_code == 503
    form = BeautifulSoup(answer.content, "html.parser").select_one("#comment-form")
    assert form.select_one("textarea[name=body]").get_text() == (
        "My view on the talks, typed with care."
    )
    assert "nothing was changed" in form.get_text()
    assert not Comment.objects.exists()


@pytest.mark.parametrize("htmx", [False, True], ids=["form", "htmx"])
def test_a_comment_refused_while_redis_is_stopped_says_when_to_try_again(redis_refusing, htmx):
    """The comment form's 503 carries Retry-After, as every other write refused for the same
    reason does (docs/deploy.md), so a client or proxy knows when to send it again."""
    article = make_article()
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}

    answer = Client().post(
        article.url, {"body": "Worth saying twice.", "author_name": "Ola"}, **headers
    )

    assert answer.status_code == 503
    assert int(answer["Retry-After"]) > 0
    assert not Comment.objects.exists()


def test_the_api_refuses_a_comment_with_a_json_503_while_redis_is_stopped(redis_refusing):
    article = make_article()
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "a" * 32

    answer = client.post(
        "/api/v1/comments",
        json.dumps({"article": article.pk, "body": "Hello", "author_name": "Ola"}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN="a" * 32,
    )

    assert answer.status_code == 503
    assert "nothing was changed" in answer.json()["detail"]
    assert int(answer["Retry-After"]) > 0
    assert not Comment.objects.exists()


def test_the_operator_is_warned_once_not_on_every_request(redis_refusing, caplog):
    article = make_article()

    with caplog.at_level(logging.WARNING, logger="core.cache"):
        for _ in range(3):
            assert Client().get(article.url).status_code == 200

    warnings = [r for r in caplog.records if r.name == "core.cache"]
    assert len(warnings) == 1
    assert "REDIS_URL" in warnings[0].getMessage()


def test_a_redis_out_of_reach_holds_a_page_briefly_then_is_left_alone(redis_silent):
    article = make_article()

    began = time.monotonic()
    first = Client().get(article.url)
    waited = time.monotonic() - began
    tried = redis_silent.accepted
    again = Client().get(article.url)

    assert first.status_code == again.status_code == 200
    assert waited < 10  # before, with no timeout, the request waited for good
    assert tried >= 1
    assert redis_silent.accepted == tried  # the second request did not wait on Redis again


def _a_request(_settings) -> None:
    pagecache.tokens(["site"])  # what every view reads first


def _a_scheduler_pass(settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    call_command("run_scheduler", "--once")


@pytest.mark.skipif(
    not django_settings.REDIS_URL, reason="a Redis that comes back: with REDIS_URL only"
)
@pytest.mark.parametrize("then", [_a_request, _a_scheduler_pass], ids=["request", "scheduler"])
def test_an_article_unpublished_while_redis_was_away_is_not_served_from_the_cache_after(
    settings, then, django_capture_on_commit_callbacks
):
    """Redis kept its data through the outage (a network partition, or a restart from disk), so
    the pages cached before it are still there. An editor's change made meanwhile could not mark
    them stale; once Redis answers, the process that made it does: an app process on its next
    request, the scheduler on its next pass."""
    redis_back = settings.REDIS_URL
    _redis_at(settings, redis_back)
    article = make_article(title="Ceasefire talks")
    rendered_under = pagecache.tokens(["site"])  # a page cached before the outage

    _redis_at(settings, "redis://127.0.0.1:1/0")
    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()  # bumps "site" once committed: Redis misses it
    _redis_at(settings, redis_back)
    shared_cache._quiet_until = 0.0  # QUIET_SECONDS have passed
    then(settings)
    pagecache.local_clear()  # another app process, which never heard of the unpublishing

    assert pagecache.tokens(["site"]) != rendered_under


def test_a_moderators_reject_while_redis_is_stopped_is_refused_and_the_note_waits(
    redis_refusing, django_user_model
):
    """Staff writes are counted too (moderation.pace): one that cannot be counted is refused as
    a reader's is, and the note comes back in the comment's card."""
    comment = Comment.objects.get(
        pk=comment_create(
            thread=make_thread(), body="The minister is a moron.", author_name="Olena"
        ).pk
    )
    review = CommentReview.objects.get(comment=comment)
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("boss", "b@example.com", "pw"))

    answer = client.post(
        f"/admin/moderation/reviews/{review.pk}/act/",
        {"action": "reject", "reason_code": "abuse", "note": "Name-calling, again."},
    )

    assert answer.status_code == 503
    assert "nothing was changed" in answer.content.decode()
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PENDING
    queue = BeautifulSoup(client.get("/admin/moderation/queue/pending/").content, "html.parser")
    assert queue.select_one(f"#review-{review.pk}-note")["value"] == "Name-calling, again."


def test_a_report_sent_while_redis_is_stopped_comes_back_in_its_form(redis_refusing):
    """Without JavaScript: the report's own page again, its words in the box, not the bare
    "Try again" page."""
    comment = comment_create(thread=make_thread(), body="Buy pills here.", author_name="Spam")

    answer = Client().post(
        f"/moderation/comments/{comment.pk}/report/",
        {"reason": "spam", "text": "Selling pills in every thread."},
    )

    assert answer.status_code == 503
    assert int(answer["Retry-After"]) > 0
    form = BeautifulSoup(answer.content, "html.parser").select_one("main form")
    assert form.select_one("textarea[name=text]").get_text().strip() == (
        "Selling pills in every thread."
    )
    assert "nothing was changed" in form.get_text()


def test_an_edit_sent_while_redis_is_stopped_comes_back_in_its_box(redis_refusing):
    reader = make_reader("Ada")
    comment = comment_create(
        thread=make_thread(), body="First thoughts.", author_name="Ada", user_id=reader.pk
    )
    client = Client()
    client.force_login(reader)

    answer = client.post(
        f"/discussion/comments/{comment.pk}/edit/", {"body": "Second, better thoughts."}
    )

    assert answer.status_code == 503
    assert int(answer["Retry-After"]) > 0
    page = BeautifulSoup(answer.content, "html.parser").select_one("main")
    assert page.select_one("textarea[name=body]").get_text() == "Second, better thoughts."
    assert "nothing was changed" in page.get_text()
    assert Comment.objects.get(pk=comment.pk).body == "First thoughts."


def test_a_display_name_sent_while_redis_is_stopped_comes_back_in_its_form(redis_refusing):
    reader = make_reader("Ada")
    comment_create(thread=make_thread(), body="Hello.", author_name="Ada", user_id=reader.pk)
    client = Client()
    client.force_login(reader)

    answer = client.post("/readers/me/name/", {"display_name": "Ada Lovelace"})

    assert answer.status_code == 503
    assert int(answer["Retry-After"]) > 0
    page = BeautifulSoup(answer.content, "html.parser")
    assert page.select_one("input[name=display_name]")["value"] == "Ada Lovelace"
    assert "nothing was changed" in page.get_text()


@pytest.fixture
def stop_redis(settings):
    """Stops Redis when called, part-way through a test (nothing listens at its port)."""
    yield lambda: _redis_at(settings, "redis://127.0.0.1:1/0")
    shared_cache._clients.clear()


def test_an_appeal_sent_while_redis_is_stopped_comes_back_in_its_form(
    stop_redis, django_user_model
):
    article = make_article()
    client = Client()
    client.post(article.url, {"body": "The minister is a moron.", "author_name": "Olena"})
    comment = Comment.objects.get()
    moderator = django_user_model.objects.create_superuser("boss", "b@example.com", "pw-long-1")
    RejectComment(comment=comment, user=moderator, reason_code="abuse").execute()
    stop_redis()

    answer = client.post(
        f"/moderation/comments/{comment.pk}/why/", {"text": "It is about his policy."}
    )

    assert answer.status_code == 503
    assert int(answer["Retry-After"]) > 0
    form = BeautifulSoup(answer.content, "html.parser").select_one("form.appeal-form")
    assert form.select_one("textarea[name=text]").get_text().strip() == "It is about his policy."
    assert "nothing was changed" in form.get_text()
    assert not Appeal.objects.exists()
