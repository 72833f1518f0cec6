"""The moderation queues' live events (moderation.live_queue): who may hear them, what they say,
and that they go out only once the change they tell of has committed.

Through the broker the settings choose, as the threads' live tests do: in-process by default,
Redis when ``REDIS_URL`` is set (the CI's second run). Two app processes sharing Redis are in
tests/e2e/test_live_updates.py.
"""

from __future__ import annotations

import asyncio
import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.test import Client

from discussion import live
from discussion.services import comment_create
from discussion.tests.factories import make_comment, make_thread
from discussion.tests.streams import open_stream
from moderation import live_queue
from moderation.actions import ApproveComment, card_token
from moderation.models import ModerationAction
from moderation.services import report_create

pytestmark = pytest.mark.django_db

EVENTS = "/admin/moderation/events/"


def _events_since(position: str) -> list[tuple[str, dict]]:
    """(kind, data) of the queues' events published after ``position``, as a moderator's stream
    opened from a page drawn there receives them."""

    async def read() -> list[tuple[str, dict]]:
        stream = live.stream(live_queue.FEED, since=position)
        found: list[tuple[str, dict]] = []
        try:
            async with asyncio.timeout(2):
                async for chunk in stream:
                    for block in chunk.decode().split("\n\n"):
                        fields = dict(line.split(": ", 1) for line in block.splitlines())
                        if "event" in fields:
                            found.append((fields["event"], json.loads(fields["data"])))
                    if found:
                        break
        except TimeoutError:
            pass
        finally:
            await stream.aclose()
        return found

    return asyncio.run(read())


def _held(thread, body: str = "The minister is a moron.") -> object:
    return comment_create(thread=thread, body=body, author_name="Olena")  # "moron": a hold


def _card(comment) -> str:
    """What the comment's card sends back, shown after its hold."""
    hold = ModerationAction.objects.get(comment=comment, kind=ModerationAction.Kind.HOLD)
    return card_token(body=comment.body, decided=hold.pk)


def test_a_held_comment_reaches_the_queues_once_it_commits_and_not_before(
    django_capture_on_commit_callbacks,
):
    thread = make_thread()
    before = live.position(live_queue.FEED)

    with django_capture_on_commit_callbacks() as callbacks:
        comment = _held(thread)
        assert live.position(live_queue.FEED) == before  # nothing told of an uncommitted hold
    for callback in callbacks:
        callback()

    hold = ModerationAction.objects.get(comment=comment, kind=ModerationAction.Kind.HOLD)
    # Ids only: never the reader's words, which a browser would keep.
    assert _events_since(before) == [
        (
            "decided",
            {"comment": comment.pk, "thread": thread.pk, "queue": "pending", "action": hold.pk},
        )
    ]


def test_a_report_reaches_the_reported_queue_once_it_commits(django_capture_on_commit_callbacks):
    comment = make_comment(make_thread(), "A comment a reader dislikes.")
    before = live.position(live_queue.FEED)

    with django_capture_on_commit_callbacks(execute=True):
        report = report_create(
            comment=comment, reporter_key="guest:abc", network="192.0.2.1", reason="abuse"
        )

    assert _events_since(before) == [
        (
            "reported",
            {
                "comment": comment.pk,
                "thread": comment.thread_id,
                "queue": "reported",
                "report": report.pk,
            },
        )
    ]


def test_a_moderators_decision_tells_the_queues_where_it_left_the_comment(
    moderator, django_capture_on_commit_callbacks
):
    comment = _held(make_thread())
    before = live.position(live_queue.FEED)

    with django_capture_on_commit_callbacks(execute=True):
        entry = ApproveComment(comment=comment, user=moderator, seen=_card(comment)).execute()

    [(kind, data)] = _events_since(before)
    assert (kind, data["queue"], data["action"]) == ("decided", "approved", entry.pk)


def test_a_card_shown_before_a_decision_reads_what_was_decided_and_by_whom(
    client, moderator, django_user_model
):
    colleague = django_user_model.objects.create_superuser("ola", "ola@example.com", None)
    comment = _held(make_thread())
    entry = ApproveComment(comment=comment, user=colleague, seen=_card(comment)).execute()
    client.force_login(moderator)

    answer = client.get(f"/admin/moderation/decisions/{entry.pk}/")

    assert answer.json() == {"said": "Approved by another moderator (ola)"}


def test_what_a_decision_was_is_not_told_to_staff_who_do_not_moderate(client, django_user_model):
    editor = django_user_model.objects.create_user("ed", "ed@example.com", None)
    editor.groups.add(Group.objects.get(name="Editors"))
    comment = _held(make_thread())
    hold = ModerationAction.objects.get(comment=comment)
    client.force_login(editor)

    answer = client.get(f"/admin/moderation/decisions/{hold.pk}/")

    # The admin's own answer to a page one may not open: back to its start, with nothing of it.
    assert (answer.status_code, answer.url) == (302, "/admin/")
    assert b"held" not in answer.content.lower()


def test_the_tabs_counts_read_again_as_events_arrive_count_a_comment_held_since(
    moderator_client,
):
    page = BeautifulSoup(
        moderator_client.get("/admin/moderation/queue/pending/").content, "html.parser"
    )
    before = int(page.select_one('[data-queue-count="pending"]').get_text())
    _held(make_thread())

    answer = moderator_client.get(page.select_one("#mod-live")["data-counts"])

    assert answer.json()["counts"]["pending"] == before + 1


def test_the_tabs_counts_are_not_told_to_staff_who_do_not_moderate(client, django_user_model):
    editor = django_user_model.objects.create_user("ed", "ed@example.com", None)
    editor.groups.add(Group.objects.get(name="Editors"))
    _held(make_thread())
    client.force_login(editor)

    answer = client.get("/admin/moderation/counts/")

    assert (answer.status_code, answer.url) == (302, "/admin/")


def test_the_queue_page_hands_its_stream_the_comments_held_after_it_was_drawn(
    client, moderator, django_capture_on_commit_callbacks
):
    client.force_login(moderator)
    page = BeautifulSoup(client.get("/admin/moderation/queue/pending/").content, "html.parser")
    box = page.select_one("#mod-live")
    with django_capture_on_commit_callbacks(execute=True):
        comment = _held(make_thread())

    heard = _events_since(box["data-since"])

    assert (box["data-queue"], box["data-events"]) == ("pending", EVENTS)
    assert [data["comment"] for _kind, data in heard] == [comment.pk]


def _stream_answer(cookie: str = "") -> tuple[int, bytes]:
    """The status and first bytes the queues' stream answers, through the production ASGI
    application (discussion.live.LiveEvents), as a browser opening it would get them."""
    sent = asyncio.run(
        open_stream(
            None,
            path=EVENTS,
            cookie=cookie,
            leave_when=lambda sent: any(message.get("body") for message in sent),
        )
    )
    return sent[0]["status"], b"".join(message.get("body", b"") for message in sent)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_queues_stream_opens_only_for_a_moderators_admin_session(django_user_model):
    # The stream's check runs on a thread of its own, hence committed rows.
    def session_of(user) -> str:
        browser = Client()
        browser.force_login(user)
        return f"sessionid={browser.cookies['sessionid'].value}"

    reader = django_user_model.objects.create_user("reader", "r@example.com", None)
    editor = django_user_model.objects.create_user("ed", "ed@example.com", None)
    editor.groups.add(Group.objects.get(name="Editors"))  # the admin, but not the comments
    moderator = django_user_model.objects.create_user("mod", "m@example.com", None)
    moderator.groups.add(Group.objects.get(name="Moderators"))

    refused = [_stream_answer(), _stream_answer(session_of(reader))]
    refused.append(_stream_answer(session_of(editor)))
    status, body = _stream_answer(session_of(moderator))

    assert refused == [(403, b"Forbidden")] * 3
    assert status == 200
    assert body.startswith((b"retry:", b"event: resync"))


def test_the_queues_stream_asked_of_django_itself_is_refused_to_staff_who_do_not_moderate(
    client, django_user_model
):
    # Where nothing stands in front of Django (manage.py runserver), its own view answers.
    editor = django_user_model.objects.create_user("ed", "ed@example.com", None)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)

    answer = client.get(EVENTS)

    assert (answer.status_code, answer.url) == (302, "/admin/")
