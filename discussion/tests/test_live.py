"""Live events: what a reader's stream receives, and how a dropped stream resumes.

The broker is the one the settings choose: in-process by default, Redis when ``REDIS_URL`` is
set (the CI's second run), so both are exercised by the same tests.
"""

from __future__ import annotations

import asyncio
import json
import signal
import threading

import pytest
from django.conf import settings
from django.core.cache import cache

from core import pagecache
from core.tests.redis_commands import commands_naming
from discussion import live
from discussion.services import reaction_toggle
from discussion.tests.factories import make_comment, make_thread
from discussion.tests.streams import open_stream

pytestmark = pytest.mark.django_db


def _events(chunks: list[bytes]) -> list[tuple[str, str, dict]]:
    """(id, kind, data) of each event in the stream's bytes."""
    found = []
    for block in b"".join(chunks).decode().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "event" in fields:
            found.append((fields.get("id", ""), fields["event"], json.loads(fields["data"])))
    return found


async def _read(stream, count: int, timeout: float = 5.0) -> list[bytes]:
    chunks = []
    async with asyncio.timeout(timeout):
        async for chunk in stream:
            chunks.append(chunk)
            if len(_events(chunks)) >= count:
                break
    await stream.aclose()
    return chunks


class Reader(threading.Thread):
    """A reader's open stream, on an event loop of its own as under the ASGI server."""

    def __init__(self, thread_id: int, count: int) -> None:
        super().__init__(daemon=True)
        self.thread_id, self.count = thread_id, count
        self.opened = threading.Event()
        self.chunks: list[bytes] = []

    def run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        stream = live.stream(self.thread_id)
        await stream.__anext__()  # the first bytes: the stream is listening
        self.opened.set()
        self.chunks = await _read(stream, self.count)

    def events(self) -> list[tuple[str, str, dict]]:
        self.join(timeout=10)
        return _events(self.chunks)


def _open_reader(thread_id: int, count: int = 1) -> Reader:
    reader = Reader(thread_id, count)
    reader.start()
    assert reader.opened.wait(timeout=10)
    return reader


def test_a_published_comment_is_sent_to_open_streams_after_commit(
    django_capture_on_commit_callbacks,
):
    thread = make_thread()
    reader = _open_reader(thread.pk)

    with django_capture_on_commit_callbacks(execute=True):
        comment = make_comment(thread, "Seen live by every open reader.")

    events = reader.events()
    assert [(kind, data["id"]) for _id, kind, data in events] == [("comment", comment.pk)]


@pytest.mark.skipif(not settings.REDIS_URL, reason="with Redis (REDIS_URL) only")
def test_with_redis_a_comment_stales_its_page_and_reaches_readers_in_one_command(
    django_capture_on_commit_callbacks,
):
    """The page cache's tokens ride in the event's own script: one round trip, not two."""
    thread = make_thread()
    tokens = [pagecache.thread_token(thread.pk), pagecache.page_token(thread.page_id)]
    before = pagecache.tokens(tokens)
    reader = _open_reader(thread.pk)
    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        comment = make_comment(thread, "Seen live, and the cached page is redrawn.")
    named = [cache.make_key(pagecache.token_key(name)) for name in tokens]
    named.append(live.broker()._stream(thread.pk))

    sent = commands_naming(named, lambda: [callback() for callback in after_commit])

    assert sent == ["EVALSHA"]
    pagecache.local_clear()  # read the tokens from Redis, not this process's copy
    after = pagecache.tokens(tokens)
    assert all(after[name] != before[name] for name in tokens)
    events = reader.events()
    assert [(kind, data["id"]) for _id, kind, data in events] == [("comment", comment.pk)]


@pytest.mark.skipif(not settings.REDIS_URL, reason="with Redis (REDIS_URL) only")
def test_with_redis_a_page_is_still_staled_when_the_event_cannot_be_sent(
    django_capture_on_commit_callbacks, monkeypatch
):
    thread = make_thread()
    tokens = [pagecache.thread_token(thread.pk), pagecache.page_token(thread.page_id)]
    before = pagecache.tokens(tokens)

    def refused(*_args, **_kwargs):
        raise ConnectionError("Redis went away for a moment")

    monkeypatch.setattr(live.RedisBroker, "publish", refused)
    with django_capture_on_commit_callbacks(execute=True):
        make_comment(thread, "Saved; the announcement failed.")

    pagecache.local_clear()
    after = pagecache.tokens(tokens)
    assert all(after[name] != before[name] for name in tokens)


def test_comments_saved_in_one_commit_each_reach_readers_and_stale_the_page_once(
    django_capture_on_commit_callbacks, monkeypatch
):
    """An import's batch or load_demo's long thread saves hundreds of comments in one commit:
    every one is still announced, in order, and the page is redrawn, but its cache tokens are
    bumped once for the commit rather than once a comment."""
    from django.db import transaction

    thread = make_thread()
    tokens = [pagecache.thread_token(thread.pk), pagecache.page_token(thread.page_id)]
    before = pagecache.tokens(tokens)
    bumped: list[tuple[str, ...]] = []
    bump = pagecache.bump

    def counted_bump(*names, **options):
        bumped.append(names)
        bump(*names, **options)

    monkeypatch.setattr(pagecache, "bump", counted_bump)
    reader = _open_reader(thread.pk, count=3)

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        comments = [make_comment(thread, f"Comment {n} of the batch.") for n in range(3)]

    events = reader.events()
    assert [(kind, data["id"]) for _id, kind, data in events] == [
        ("comment", comment.pk) for comment in comments
    ]
    pagecache.local_clear()  # read the tokens from the cache, not this process's copy
    after = pagecache.tokens(tokens)
    assert all(after[name] != before[name] for name in tokens)
    assert bumped == [tuple(tokens)]


def test_a_comment_held_for_review_sends_nothing_until_approved(
    django_capture_on_commit_callbacks, settings
):
    from discussion.models import Comment
    from discussion.services import comment_set_status

    thread = make_thread()
    held = make_comment(thread, "Waiting for a moderator.")
    reader = _open_reader(thread.pk)

    with django_capture_on_commit_callbacks(execute=True):
        comment_set_status(comment=held, status=Comment.Status.PENDING)
        comment_set_status(comment=held, status=Comment.Status.PUBLISHED)

    events = reader.events()
    assert [(kind, data["id"]) for _id, kind, data in events] == [("comment", held.pk)]


def test_a_reaction_sends_the_new_count(django_capture_on_commit_callbacks):
    thread = make_thread()
    comment = make_comment(thread, "Worth recommending.")
    reader = _open_reader(thread.pk)

    with django_capture_on_commit_callbacks(execute=True):
        reaction_toggle(comment=comment, reader_key="guest-a", user_id=None)

    events = reader.events()
    assert [(kind, data) for _id, kind, data in events] == [
        ("reaction", {"id": comment.pk, "count": 1})
    ]


def test_a_stream_reopened_with_last_event_id_gets_only_what_it_missed():
    thread = make_thread()
    first = live.broker().publish(thread.pk, "comment", {"id": 1})
    live.broker().publish(thread.pk, "comment", {"id": 2})
    live.broker().publish(thread.pk, "reaction", {"id": 1, "count": 3})

    async def scenario():
        return await _read(live.stream(thread.pk, first.id), 2)

    events = _events(asyncio.run(scenario()))
    assert [(kind, data) for _id, kind, data in events] == [
        ("comment", {"id": 2}),
        ("reaction", {"id": 1, "count": 3}),
    ]


def test_a_last_event_id_the_server_cannot_place_asks_the_reader_to_resync():
    thread = make_thread()
    live.broker().publish(thread.pk, "comment", {"id": 1})

    async def scenario():
        return await _read(live.stream(thread.pk, "not-an-event-id"), 1)

    events = _events(asyncio.run(scenario()))
    assert [kind for _id, kind, _data in events] == ["resync"]


def test_a_closed_stream_is_no_longer_counted_as_open():
    thread = make_thread()

    async def scenario():
        stream = live.stream(thread.pk)
        await stream.__anext__()
        during = live.open_streams()
        await stream.aclose()
        return during, live.open_streams()

    during, after = asyncio.run(scenario())
    assert (during, after) == (1, 0)


def test_a_stream_opened_from_a_pages_position_gets_what_was_published_after_it():
    # The page was drawn at `drawn_at`; before the reader's browser opened its stream, another
    # thread had news and a comment came to this one. The comment must not be missed.
    thread, other = make_thread(), make_thread()
    live.broker().publish(thread.pk, "comment", {"id": 1})
    drawn_at = live.position(thread.pk)
    live.broker().publish(other.pk, "comment", {"id": 2})
    live.broker().publish(thread.pk, "comment", {"id": 3})

    async def scenario():
        return await _read(live.stream(thread.pk, since=drawn_at), 1)

    events = _events(asyncio.run(scenario()))
    assert [(kind, data) for _id, kind, data in events] == [("comment", {"id": 3})]


def test_a_reader_who_missed_more_than_the_thread_keeps_is_asked_to_resync(settings):
    settings.LIVE_EVENTS_KEEP = 3  # Redis trims whole blocks of about a hundred: go past them
    live.broker.cache_clear()  # a broker whose logs are made with the setting
    thread = make_thread()
    seen = live.broker().publish(thread.pk, "comment", {"id": 0})
    for number in range(1, 250):
        live.broker().publish(thread.pk, "comment", {"id": number})

    async def scenario():
        return await _read(live.stream(thread.pk, seen.id), 1)

    events = _events(asyncio.run(scenario()))
    live.broker.cache_clear()
    assert [kind for _id, kind, _data in events] == ["resync"]


def test_the_article_page_hands_its_stream_the_comments_posted_after_it_was_drawn(
    client, django_capture_on_commit_callbacks
):
    from bs4 import BeautifulSoup

    from discussion.services import thread_ensure
    from newsroom.tests.factories import make_article

    article = make_article()
    thread = thread_ensure(page=article)
    box = BeautifulSoup(client.get(article.url).content, "html.parser").find(id="live-updates")
    with django_capture_on_commit_callbacks(execute=True):
        comment = make_comment(thread, "Posted while the page was on its way to the reader.")

    async def scenario():
        return await _read(live.stream(thread.pk, since=box["data-since"]), 1)

    events = _events(asyncio.run(scenario()))
    assert [(kind, data["id"]) for _id, kind, data in events] == [("comment", comment.pk)]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_stream_asked_for_with_a_long_odd_query_string_still_opens_from_its_since():
    # The stream's view runs its database check on a thread of its own, hence committed rows.
    thread = make_thread()
    drawn_at = live.position(thread.pk)
    live.broker().publish(thread.pk, "comment", {"id": 7})
    junk = "&".join(f"p{n}=%ZZ" for n in range(200))  # many fields, a bad escape in each

    sent = asyncio.run(
        open_stream(
            thread.pk,
            query_string=f"{junk}&since={drawn_at}".encode(),
            leave_when=lambda sent: any(b"event: comment" in m.get("body", b"") for m in sent),
        )
    )

    assert sent[0]["status"] == 200
    events = _events([m.get("body", b"") for m in sent[1:]])
    assert [(kind, data) for _id, kind, data in events] == [("comment", {"id": 7})]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_site_served_under_a_path_prefix_streams_its_live_events():
    """The article page of a site at /news/ opens /news/discussion/threads/<id>/events/: the live
    layer answers it, where it had fallen through to Django and held one of its threads."""
    thread = make_thread()
    drawn_at = live.position(thread.pk)
    live.broker().publish(thread.pk, "comment", {"id": 7})

    sent = asyncio.run(
        open_stream(
            thread.pk,
            root_path="/news",
            query_string=f"since={drawn_at}".encode(),
            leave_when=lambda sent: any(b"event: comment" in m.get("body", b"") for m in sent),
        )
    )

    assert sent[0]["status"] == 200
    events = _events([m.get("body", b"") for m in sent[1:]])
    assert [(kind, data) for _id, kind, data in events] == [("comment", {"id": 7})]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_stream_whose_reader_leaves_at_once_ends_at_once():
    # The reader leaves as soon as the headers arrive, while the stream still waits to say it
    # is listening. Its end must not depend on a later send failing: a server may drop sends
    # to a closed connection quietly, and the stream would then outlive its reader.
    thread = make_thread()

    sent = asyncio.run(open_stream(thread.pk, leave_when=bool, timeout=5))

    assert sent[0]["status"] == 200


@pytest.fixture
def server_stop_handler():
    """SIGTERM handled as under the ASGI server (a handler of its own), with no stop watch yet:
    as in an app process that has not served a stream. Restored afterwards."""
    original = signal.getsignal(signal.SIGTERM)
    server_saw: list[int] = []
    signal.signal(signal.SIGTERM, lambda number, frame: server_saw.append(number))
    live._watching.discard(signal.SIGTERM)
    try:
        yield server_saw
    finally:
        signal.signal(signal.SIGTERM, original)
        live._watching.discard(signal.SIGTERM)
        live._stop_requested.clear()


def test_a_stop_signal_that_comes_while_the_hubs_are_locked_does_not_hang_the_process(
    server_stop_handler,
):
    # A signal handler runs on the main thread between two steps of whatever it was doing: if
    # that held the hubs' lock (or was the handler itself, when a second SIGTERM came at once),
    # the handler waited for the lock its own thread held, and the app process never exited.
    live._watch_for_stop()
    on_stop = signal.getsignal(signal.SIGTERM)
    failures = []

    def signalled_while_holding_the_lock() -> None:
        with live._hubs_lock:
            try:
                on_stop(signal.SIGTERM, None)
            except Exception as exc:  # noqa: BLE001  (reported by the assertion below)
                failures.append(exc)

    worker = threading.Thread(target=signalled_while_holding_the_lock, daemon=True)
    worker.start()
    worker.join(timeout=5)

    assert not worker.is_alive(), "the stop handler waited for a lock its own thread held"
    assert failures == []
    assert server_stop_handler == [signal.SIGTERM]  # the server's own handler still ran


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_stop_signal_the_moment_a_first_streams_headers_go_out_still_ends_that_stream(
    server_stop_handler,
):
    # A reader's page shows its stream as open once the headers arrive, and a deploy's SIGTERM
    # can come at once. The stop watch used to be set up just after the headers went out: a
    # signal in between reached only the server, which waited for the stream, and so never
    # stopped. The reader here never leaves; only the stop can end the stream.
    thread = make_thread()

    def signalled_as_the_headers_go_out(message: dict) -> None:
        if message["type"] == "http.response.start":
            signal.getsignal(signal.SIGTERM)(signal.SIGTERM, None)  # as the kernel would call it

    sent = asyncio.run(
        open_stream(
            thread.pk, leave_when=lambda sent: False, on_send=signalled_as_the_headers_go_out
        )
    )

    assert server_stop_handler == [signal.SIGTERM]
    assert sent[0]["status"] == 200
    assert sent[-1] == {"type": "http.response.body", "body": b"", "more_body": False}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_stream_asked_for_after_the_process_was_told_to_stop_ends_at_once(server_stop_handler):
    # A request already on its way when the stop came is still served; a stream must not then
    # keep the stopping process alive, even on an event loop that had no stream open before.
    thread = make_thread()
    live._watch_for_stop()  # as any earlier request set it up
    signal.getsignal(signal.SIGTERM)(signal.SIGTERM, None)

    sent = asyncio.run(open_stream(thread.pk, leave_when=lambda sent: False, timeout=5))

    assert sent[0]["status"] == 200
    assert sent[-1] == {"type": "http.response.body", "body": b"", "more_body": False}


def test_a_last_event_id_with_digits_python_cannot_read_asks_the_reader_to_resync():
    """A Last-Event-ID is the reader's to send: "²" is a digit to str.isdigit() and int() refuses
    it, which ended the stream with an error where it deserved a resync."""
    thread = make_thread()
    first = live.broker().publish(thread.pk, "comment", {"id": 1})
    head, _, _seq = first.id.rpartition("-")

    async def scenario():
        return await _read(live.stream(thread.pk, f"{head}-\u00b2"), 1)

    events = _events(asyncio.run(scenario()))
    assert [kind for _id, kind, _data in events] == ["resync"]


@pytest.mark.skipif(not settings.REDIS_URL, reason="with Redis (REDIS_URL) only")
def test_sites_sharing_one_redis_on_other_databases_do_not_hear_each_others_comments():
    """A pub/sub channel is the whole Redis server's, whichever database a client selected: a
    staging site on another database, under the same CACHE_KEY_PREFIX, heard the live site's
    comments, and told its readers of comments on their own thread of the same id."""
    import redis
    from redis.connection import parse_url

    ours = live.RedisBroker(settings.REDIS_URL, settings.CACHE_KEY_PREFIX)
    database = parse_url(settings.REDIS_URL).get("db", 0)
    other_url = settings.REDIS_URL.rsplit("/", 1)[0] + f"/{(database + 1) % 16}"
    theirs = live.RedisBroker(other_url, settings.CACHE_KEY_PREFIX)
    listener = redis.Redis.from_url(other_url).pubsub(ignore_subscribe_messages=True)
    listener.subscribe(theirs.channel)
    listener.get_message(timeout=1)  # the subscription's own answer

    ours.publish(424242, "comment", {"id": 1})

    assert listener.get_message(timeout=0.5) is None
    listener.close()


def test_the_in_process_broker_keeps_the_logs_of_its_latest_threads_only(monkeypatch):
    # A process writing to thousands of threads (an import, the task worker, a long-lived app
    # process without Redis) grew by a log of up to LIVE_EVENTS_KEEP events for each.
    monkeypatch.setattr(live, "LOCAL_THREADS_KEPT", 3)
    broker = live.LocalBroker()
    for thread_id in range(1, 6):
        broker.publish(thread_id, "comment", {"id": thread_id})

    assert len(broker._kept) == 3


def test_a_reader_of_a_thread_whose_log_was_let_go_is_asked_to_reload(monkeypatch):
    monkeypatch.setattr(live, "LOCAL_THREADS_KEPT", 2)
    broker = live.LocalBroker()
    seen = broker.publish(1, "comment", {"id": 1})
    broker.publish(1, "comment", {"id": 2})  # missed by the reader of thread 1
    kept_seen = broker.publish(2, "comment", {"id": 3})
    missed = broker.publish(2, "comment", {"id": 4})
    broker.publish(3, "comment", {"id": 5})  # thread 1's log is let go
    broker.publish(4, "comment", {"id": 6})  # then thread 2's

    assert asyncio.run(broker.since(1, seen.id)) is None  # reload: what it missed is gone
    assert asyncio.run(broker.since(2, kept_seen.id)) is None
    assert asyncio.run(broker.since(4, missed.id)) is not None
    # A thread written to again after its log was let go resumes only from its new events.
    again = broker.publish(1, "comment", {"id": 7})
    assert asyncio.run(broker.since(1, seen.id)) is None
    newest = broker.publish(1, "comment", {"id": 8})
    assert asyncio.run(broker.since(1, again.id)) == [newest]
