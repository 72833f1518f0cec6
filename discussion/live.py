"""Live events for open threads, for the Server-Sent Events stream under each article.

Writers call :func:`thread_touched` inside their transaction. After it commits, the anonymous
page cache's token for the page is bumped (``core.pagecache``) and, if the write is something an
open reader should learn about, an event goes out:

- ``comment``: a comment was published (``{"id", "parent", "root"}``); the page shows a
  "N new comments - show" button, never the comment itself under the reader's eyes;
- ``reaction``: a comment's reaction count changed (``{"id", "count"}``), updated in place.

Besides threads, an app may keep a named feed (:func:`register_feed`), carried the same way and
served by the same layer behind an access check of its own: moderation's queues
(``moderation.live_queue``) hear of comments held, reported, appealed and decided. Its events
are published with :func:`feed_touched`, after commit.

Two brokers, chosen by settings alone:

- in-process (the embedded default, one app process): events fan out to the streams of this
  process, and the last ``LIVE_EVENTS_KEEP`` per thread are kept in memory for resuming;
- Redis (when ``REDIS_URL`` is set): each event is appended to a capped Redis stream per thread
  (its id is the SSE id, and ``XRANGE`` answers a reconnect's ``Last-Event-ID``) and published
  on one pub/sub channel; every app process runs one subscriber per event loop and fans the
  event out to its own open streams. So two processes behind one address both deliver it.

Each open stream is an ``asyncio.Queue`` registered with its event loop's hub; a stream that
falls too far behind is told to resync rather than holding memory without bound.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import json
import logging
import secrets
import signal
import threading
import weakref
from collections import OrderedDict, defaultdict, deque
from collections.abc import AsyncIterator
from dataclasses import dataclass
from functools import cache as memoise
from typing import Any

from django.conf import settings
from django.db import transaction

from core import pagecache
from core.cache import (
    TIMEOUT_SECONDS,
    UNREACHABLE,
    RedisUnreachable,
    client_options,
    skipping,
    unreachable,
)
from core.mounted import site_path
from core.numbers import ascii_int

log = logging.getLogger(__name__)

QUEUE_LIMIT = 1000  # events a slow stream may lag behind before it is told to resync

# What a stream follows: a thread, by its id, or a named feed (:func:`register_feed`), by name.
Topic = int | str


@dataclass(frozen=True)
class Event:
    id: str
    thread_id: Topic  # the thread's id, or a feed's name
    kind: str
    data: dict[str, Any]

    def encode(self) -> bytes:
        payload = json.dumps(self.data, separators=(",", ":"))
        return f"id: {self.id}\nevent: {self.kind}\ndata: {payload}\n\n".encode()


RESYNC = b"event: resync\ndata: {}\n\n"

# Put in every open stream's queue when this process's subscription to other processes' events
# comes back after losing Redis: the stream fetches from the thread's log what it missed meanwhile.
_CATCH_UP = object()


# --- Writers -------------------------------------------------------------------------------


def thread_touched(
    thread_id: int,
    *,
    page_id: int | None = None,
    kind: str | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    """After the current transaction commits: stale the page's cache; send ``kind`` if given.

    A transaction that touches a thread many times (an import's batch, ``load_demo``'s long
    thread: 500 comments a commit) stales its page once: each of its commit hooks still sends its
    own event, but a token already bumped by an earlier hook of the same commit is not bumped
    again (``_CommitBumps``)."""

    sent = False
    bumps = _CommitBumps.for_this_transaction()

    def carry(tokens: dict) -> None:
        nonlocal sent
        current = broker()
        if not isinstance(current, RedisBroker):
            raise TypeError("the in-process broker cannot carry cache tokens")
        current.publish(thread_id, kind, data or {}, also_set=tokens)
        sent = True

    def after_commit() -> None:
        bumps.running()
        target = page_id
        try:
            names = [pagecache.thread_token(thread_id)]
            if bumps.done(names[0]):
                names = []  # and the page's token went with it
            elif target is None:
                from discussion.models import Thread

                target = (
                    Thread.objects.filter(pk=thread_id).values_list("page_id", flat=True).first()
                )
            if names and target is not None:
                names.append(pagecache.page_token(target))
            if names:
                # With Redis, the tokens ride in the event's own script: one round trip for both.
                pagecache.bump(*names, carrier=carry if kind is not None else None)
                bumps.add(names)
        except UNREACHABLE:  # said once a minute (core.cache); entries expire meanwhile
            pass
        except Exception:  # the entries still expire after PAGE_CACHE_SECONDS
            log.exception("page cache for thread %s not invalidated", thread_id)
        if kind is not None and not sent:
            try:
                broker().publish(thread_id, kind, data or {})
            except UNREACHABLE:  # said once a minute (core.cache)
                pass
            except Exception:  # a live update is a courtesy; the write has already committed
                log.exception("live event for thread %s not sent", thread_id)

    transaction.on_commit(after_commit)


class _CommitBumps:
    """The page-cache tokens that the commit hooks of one transaction have bumped so far.

    Made when the transaction first touches a thread, and let go (no longer given to new hooks)
    as soon as one of its hooks runs: the transaction has committed by then. A hook that finds
    its thread's token among them need not bump it again, as that bump came after the commit it
    follows. A hook whose transaction was rolled back to a savepoint never runs, and adds
    nothing; one whose bump failed adds nothing either, so the next hook tries again."""

    __slots__ = ("_bumped", "_connection")

    def __init__(self, connection) -> None:
        self._bumped: set[str] = set()
        self._connection = connection

    @classmethod
    def for_this_transaction(cls) -> _CommitBumps:
        connection = transaction.get_connection()
        if not connection.in_atomic_block:  # the hook runs at once
            return cls(None)
        current = getattr(connection, "_broadsheet_commit_bumps", None)
        if current is None:
            current = connection._broadsheet_commit_bumps = cls(connection)
        return current

    def running(self) -> None:
        connection = self._connection
        if connection is not None and getattr(connection, "_broadsheet_commit_bumps", None) is self:
            connection._broadsheet_commit_bumps = None

    def done(self, name: str) -> bool:
        return name in self._bumped

    def add(self, names: list[str]) -> None:
        self._bumped.update(names)


def threads_touched(threads: list[tuple[int, int | None]]) -> None:
    """After the current transaction commits: stale the cached pages of many threads at once,
    given as (thread id, page id or None), with one write of all their tokens and no live
    event (a member's new name on their comments across the site)."""
    if not threads:
        return
    names = [pagecache.thread_token(thread_id) for thread_id, _page in threads]
    names += [pagecache.page_token(page_id) for _thread, page_id in threads if page_id]

    def after_commit() -> None:
        try:
            pagecache.bump(*names)
        except UNREACHABLE:  # said once a minute (core.cache); entries expire meanwhile
            pass
        except Exception:  # the entries still expire after PAGE_CACHE_SECONDS
            log.exception("page cache for %d threads not invalidated", len(threads))

    transaction.on_commit(after_commit)


def feed_touched(feed: str, *, kind: str, data: dict[str, Any]) -> None:
    """After the current transaction commits, send ``kind`` to the open streams of ``feed`` (a
    name given to :func:`register_feed`), in every app process. Nothing is sent if it rolls back.

    The event reaches staff who may follow the feed, but a browser keeps what it is sent: give
    ids and counts, never a reader's words."""

    def after_commit() -> None:
        try:
            broker().publish(feed, kind, data)
        except UNREACHABLE:  # said once a minute (core.cache)
            pass
        except Exception:  # a live update is a courtesy; the write has already committed
            log.exception("live event for feed %s not sent", feed)

    transaction.on_commit(after_commit)


# --- Named feeds: streams other than a thread's, each behind its own check ------------------


@dataclass(frozen=True)
class Feed:
    name: str  # what its events are published under (feed_touched)
    url_name: str  # the URL name of its Django view, whose path LiveEvents serves
    allowed: Any  # (request) -> bool: may this request's user follow it? Run on a worker thread


_feeds: dict[str, Feed] = {}


def register_feed(name: str, *, url_name: str, allowed: Any) -> None:
    """Serve the feed ``name`` at the path of ``url_name`` (a view with no arguments), to the
    requests ``allowed(request)`` accepts: it is given the request as Django's session and
    authentication middleware would hand it to a view, and is asked when each stream opens;
    anyone else gets 403 and nothing of the feed. Apps register theirs in ``AppConfig.ready()``
    (moderation: its queues), so this module imports none of them."""
    _feeds[name] = Feed(name=name, url_name=url_name, allowed=allowed)


def unregister_feed(name: str) -> None:
    _feeds.pop(name, None)


# --- Per event loop: the open streams ------------------------------------------------------


class _Hub:
    """The open streams of one event loop, by thread."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.queues: dict[Topic, set[asyncio.Queue]] = defaultdict(set)
        self.listener: asyncio.Task | None = None
        self.ready = asyncio.Event()  # set once events can reach this loop
        self.stopping = asyncio.Event()  # set when the process is told to stop
        if _stop_requested.is_set():  # told before this loop served its first stream
            self.stopping.set()

    def deliver(self, event: Event) -> None:
        for queue in list(self.queues.get(event.thread_id, ())):
            try:
                queue.put_nowait(event)
            except asyncio.QueueFull:
                queue.overflowed = True  # type: ignore[attr-defined]

    def catch_up(self) -> None:
        """Have every open stream fetch the events it missed while the subscription was lost."""
        for queues in list(self.queues.values()):
            for queue in list(queues):
                try:
                    queue.put_nowait(_CATCH_UP)
                except asyncio.QueueFull:
                    queue.overflowed = True  # type: ignore[attr-defined]

    def count(self) -> int:
        return sum(len(queues) for queues in self.queues.values())


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Hub] = weakref.WeakKeyDictionary()
# Re-entrant: the stop-signal handler takes it too (``_watch_for_stop``), and a signal handler runs
# on the main thread between two steps of whatever it was doing, perhaps while that held this
# lock, or inside the handler itself when a second stop signal comes at once (systemd signals
# every process of a service, and Granian passes its own signal on to each worker). With a
# plain lock the worker then waited for itself, and never exited.
_hubs_lock = threading.RLock()


def _hub() -> _Hub:
    loop = asyncio.get_running_loop()
    with _hubs_lock:
        hub = _hubs.get(loop)
        if hub is None:
            hub = _hubs[loop] = _Hub(loop)
            _watch_for_stop()
    broker().ensure_listening(hub)
    return hub


_STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
_watching: set[int] = set()
_stop_requested = threading.Event()  # the process has been told to stop


def _watch_for_stop() -> None:
    """End every open stream when the process is told to stop (SIGTERM or SIGINT).

    The ASGI server stops gracefully: it takes no new connections and waits for the open ones to
    finish. A live stream never finishes by itself, so without this a process with one reader's
    page open never exited, and a deploy waited until it was killed. The server's own handler
    still runs (it is called first, and the server's event loop also learns of the signal
    through its wakeup descriptor); the streams then end cleanly, and each reader's browser
    reconnects, to another process, resuming from its ``Last-Event-ID``.

    Installed only from the main thread, and only over a handler the server set up: where a
    stop signal still has its default action, the process ends with the streams anyway.
    """
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in _STOP_SIGNALS:
        previous = signal.getsignal(signum)
        if signum in _watching or not callable(previous):
            continue

        def on_stop(number, frame, previous=previous) -> None:
            previous(number, frame)
            _stop_requested.set()
            with _hubs_lock:
                hubs = list(_hubs.values())
            for hub in hubs:
                if not hub.loop.is_closed():
                    hub.loop.call_soon_threadsafe(hub.stopping.set)

        signal.signal(signum, on_stop)
        _watching.add(signum)


def open_streams() -> int:
    """How many live streams this process holds open (for tests and operators)."""
    with _hubs_lock:
        return sum(hub.count() for hub in _hubs.values())


# --- Brokers -------------------------------------------------------------------------------


# How many threads' logs the in-process broker keeps, the least recently written to let go
# first: each holds up to LIVE_EVENTS_KEEP events, and a process that writes to thousands of
# threads (an import, the task worker, a long-lived app process on the embedded default) grew
# by all of them (35 MiB over an import's 1,520 threads). A stream resuming on a thread let go
# of is told to reload (``since`` answers None), as one resuming past its log's start is.
LOCAL_THREADS_KEPT = 256


class LocalBroker:
    """In-process fan-out: one app process, the embedded default."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._epoch = secrets.token_hex(3)
        self._seq = itertools.count(1)
        self._last = 0  # the number of the latest event, on any thread
        self._kept: OrderedDict[Topic, deque[Event]] = OrderedDict()  # least recent first
        self._dropped: dict[Topic, int] = {}  # per kept thread, the newest event no longer kept
        # The newest event of any thread's log let go of: a thread not kept may have had any
        # event up to it.
        self._let_go = 0

    def publish(self, thread_id: Topic, kind: str, data: dict[str, Any]) -> Event:
        with self._lock:
            self._last = next(self._seq)
            event = Event(f"{self._epoch}-{self._last}", thread_id, kind, data)
            kept = self._kept.get(thread_id)
            if kept is None:
                kept = self._kept[thread_id] = deque(maxlen=settings.LIVE_EVENTS_KEEP)
                if self._let_go:
                    self._dropped[thread_id] = self._let_go
                if len(self._kept) > LOCAL_THREADS_KEPT:
                    gone, log = self._kept.popitem(last=False)
                    self._dropped.pop(gone, None)
                    self._let_go = max(self._let_go, self._seq_of(log[-1].id) or 0)
            else:
                self._kept.move_to_end(thread_id)
            if len(kept) == kept.maxlen:
                self._dropped[thread_id] = self._seq_of(kept[0].id) or 0
            kept.append(event)
        with _hubs_lock:
            hubs = list(_hubs.values())
        for hub in hubs:
            if not hub.loop.is_closed():
                hub.loop.call_soon_threadsafe(hub.deliver, event)
        return event

    def position(self, thread_id: Topic) -> str:
        return f"{self._epoch}-{self._last}"

    def ensure_listening(self, hub: _Hub) -> None:
        hub.ready.set()  # publish() reaches every hub of this process directly

    def _seq_of(self, event_id: str) -> int | None:
        epoch, _, seq = event_id.partition("-")
        return ascii_int(seq) if epoch == self._epoch else None

    async def since(self, thread_id: Topic, last_id: str) -> list[Event] | None:
        """Events after ``last_id``, or None when they cannot all be told (resync instead)."""
        last = self._seq_of(last_id)
        if last is None:
            return None
        with self._lock:
            if thread_id not in self._kept:
                return None if self._let_go > last else []  # its log may have been let go of
            if self._dropped.get(thread_id, 0) > last:
                return None  # some after it were dropped from the start of the log
            kept = list(self._kept[thread_id])
        return [event for event in kept if self._seq_of(event.id) > last]


_ID_MARK = "\x00event-id\x00"
# XADD then PUBLISH, as RedisBroker.publish made them one by one. The channel is not a key: a
# PUBLISH reaches every subscriber whichever node runs it.
#
# Any keys after the stream's are set first, each to its value after the first six arguments:
# the page cache's tokens for the thread (core.pagecache.bump), so that a reader who fetches the
# page on hearing of the event gets it fresh, and both cost one round trip.
_PUBLISH = """
for i = 2, #KEYS do
  redis.call('SET', KEYS[i], ARGV[i + 5])
end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'k', ARGV[2], 'd', ARGV[3])
redis.call('PUBLISH', ARGV[4], ARGV[5] .. id .. ARGV[6])
return id
"""


class RedisBroker:
    """Redis streams (for resuming) plus pub/sub (for fan-out across app processes)."""

    def __init__(self, url: str, prefix: str) -> None:
        import redis
        from redis.connection import parse_url

        self.url = url
        # Keys live in the URL's database, but a pub/sub channel is the whole server's: sites
        # sharing one Redis on different databases under the same prefix (a staging site beside
        # its live one, CACHE_KEY_PREFIX left as it ships) heard each other's comments, and
        # their readers were told of comments on their own thread of the same id. So the
        # channel names the database too.
        database = parse_url(url).get("db", 0)
        self.channel = f"{prefix}:live:{database}"
        self.prefix = prefix
        # Bounded waits (core.cache): publishing runs after a comment's commit, in its request.
        self._client = redis.Redis.from_url(url, **client_options())
        self._async_clients: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def _stream(self, thread_id: Topic) -> str:
        if isinstance(thread_id, str):  # a named feed (register_feed)
            return f"{self.prefix}:live:feed:{thread_id}"
        return f"{self.prefix}:live:thread:{thread_id}"

    def publish(
        self, thread_id: Topic, kind: str, data: dict[str, Any], also_set: dict | None = None
    ) -> Event:
        """Add the event to the thread's stream, then announce it with the id the stream gave it:
        one script, so one round trip to Redis rather than two for every comment.

        ``also_set`` (Redis key: stored value) is set first, in the same script."""
        payload = json.dumps(data, separators=(",", ":"))
        # The announcement is {"t": ..., "i": <id>, "k": ..., "d": ...}; the script puts the id
        # (digits and a dash, nothing to escape) between the two halves.
        head, _, tail = json.dumps({"t": thread_id, "i": _ID_MARK, "k": kind, "d": data}).partition(
            json.dumps(_ID_MARK)
        )
        also_set = also_set or {}
        raw_id = self._asking(
            self._publish_script,
            keys=[self._stream(thread_id), *also_set],
            args=[
                settings.LIVE_EVENTS_KEEP,
                kind,
                payload,
                self.channel,
                f'{head}"',
                f'"{tail}',
                *also_set.values(),
            ],
        )
        event_id = raw_id.decode() if isinstance(raw_id, bytes) else raw_id
        return Event(event_id, thread_id, kind, data)

    @functools.cached_property
    def _publish_script(self):
        # Sent by its digest (EVALSHA), the text only when the server has not seen it.
        return self._client.register_script(_PUBLISH)

    @staticmethod
    def _asking(command, *args, **kwargs):
        """``command`` sent to Redis, unless it failed to answer a moment ago (core.cache): this
        runs in requests, which should not each wait on a Redis that is down."""
        if skipping():
            raise RedisUnreachable("Redis did not answer a moment ago")
        try:
            return command(*args, **kwargs)
        except UNREACHABLE as error:
            unreachable(error)
            raise

    def position(self, thread_id: Topic) -> str:
        latest = self._asking(self._client.xrevrange, self._stream(thread_id), count=1)
        if not latest:
            return "0-0"  # before any event the stream can hold
        raw_id = latest[0][0]
        return raw_id.decode() if isinstance(raw_id, bytes) else raw_id

    def _async_client(self):
        import redis.asyncio

        loop = asyncio.get_running_loop()
        client = self._async_clients.get(loop)
        if client is None:
            # A bounded connect (a Redis out of reach would hold it for minutes); reads wait as
            # long as they like, as a subscription's must.
            client = self._async_clients[loop] = redis.asyncio.Redis.from_url(
                self.url, socket_connect_timeout=TIMEOUT_SECONDS
            )
        return client

    def ensure_listening(self, hub: _Hub) -> None:
        if hub.listener is None or hub.listener.done():
            hub.listener = hub.loop.create_task(self._listen(hub))

    async def _listen(self, hub: _Hub) -> None:
        """One subscriber per event loop; reconnects after an error, a second apart.

        It looks up at least once a second to see whether it has been cancelled: on Python 3.11
        a cancellation that lands while the Redis client waits (connecting, subscribing) can be
        swallowed inside it, and the subscriber then went on listening for good, so the event
        loop it belongs to could never close.
        """
        task = asyncio.current_task()
        lost = False
        while True:
            try:
                pubsub = self._async_client().pubsub(ignore_subscribe_messages=True)
                await pubsub.subscribe(self.channel)
                _unless_cancelled(task)
                answered = False
                while True:
                    message = await pubsub.get_message(timeout=1.0)
                    _unless_cancelled(task)
                    if not answered:
                        # Listening only once the subscription has answered: a subscribe can
                        # return without error while Redis is still out of reach.
                        answered = True
                        hub.ready.set()
                        if lost:
                            log.warning("live event subscriber reconnected to Redis")
                            lost = False
                            # Other processes may have published while this one was not
                            # listening: the events are in each thread's log, and each open
                            # stream fetches its own.
                            hub.catch_up()
                    if message is None or message.get("type") != "message":
                        continue
                    body = json.loads(message["data"])
                    # A thread's id stays a number, a feed's name a string, as JSON kept them.
                    topic = body["t"] if isinstance(body["t"], str) else int(body["t"])
                    hub.deliver(Event(body["i"], topic, body["k"], body["d"]))
            except asyncio.CancelledError:
                raise
            except UNREACHABLE as error:
                # Said once per outage, not every second of it (core.cache warns as well).
                hub.ready.clear()
                if not lost:
                    log.warning("live event subscriber lost Redis (%s); retrying", error)
                    lost = True
                await asyncio.sleep(1)
            except Exception:
                hub.ready.clear()
                log.exception("live event subscriber lost Redis; retrying")
                lost = True
                await asyncio.sleep(1)

    @staticmethod
    def _order(event_id: str) -> tuple[int, int] | None:
        ms, _, seq = event_id.partition("-")
        order = (ascii_int(ms), ascii_int(seq))
        return order if None not in order else None

    async def since(self, thread_id: Topic, last_id: str) -> list[Event] | None:
        """Events after ``last_id``, or None when they cannot all be told (resync instead)."""
        import redis

        last = self._order(last_id)
        if last is None:
            return None
        client = self._async_client()
        key = self._stream(thread_id)
        try:
            info = await client.xinfo_stream(key)
        except redis.ResponseError:
            return []  # no stream: nothing was published to the thread (or Redis lost it)
        first = info.get("first-entry")
        if not first:
            return []
        if last == (0, 0):
            # The page was drawn before the thread had events: missed ones were trimmed only if
            # more were ever added than are kept (Redis 7 counts them; before it, all is sent).
            added = info.get("entries-added")
            if added is not None and added > info.get("length", 0):
                return None
        elif self._order(first[0].decode()) > last:
            return None  # the reader's last event was trimmed away, and maybe some after it
        rows = await client.xrange(key, min=f"({last_id}", max="+")
        return [
            Event(raw_id.decode(), thread_id, fields[b"k"].decode(), json.loads(fields[b"d"]))
            for raw_id, fields in rows
        ]


def _unless_cancelled(task: asyncio.Task | None) -> None:
    """Raise the cancellation ``task`` was sent, if an await swallowed it (Python 3.11)."""
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


@memoise
def broker() -> LocalBroker | RedisBroker:
    if settings.REDIS_URL:
        return RedisBroker(settings.REDIS_URL, settings.CACHE_KEY_PREFIX)
    return LocalBroker()


def position(thread_id: Topic) -> str:
    """Where the thread's events stand now, for a page to hand to its stream (``since``).

    Read before the page reads the thread's comments: anything published after it is either on
    the page already (the browser skips those) or sent when the stream opens, so a comment
    posted while the page was drawn, or before the reader's browser opened its stream, is
    never missed. Empty if the broker cannot say (Redis unreachable): the stream then starts
    from its opening, as it always did.
    """
    try:
        return broker().position(thread_id)
    except UNREACHABLE:  # said once a minute (core.cache)
        return ""
    except Exception:
        log.warning("live position for thread %s not read", thread_id, exc_info=True)
        return ""


# --- Readers -------------------------------------------------------------------------------


async def stream(
    thread_id: Topic, last_event_id: str = "", since: str = ""
) -> AsyncIterator[bytes]:
    """The bytes of one reader's SSE stream: the missed events if resuming, then live ones.

    ``last_event_id`` is a reconnecting browser's; ``since`` is the :func:`position` its page
    was drawn at, sent on the first connection (a browser cannot set the header then). The
    events after a ``since`` are sent first; one the broker cannot place sends nothing extra,
    as before there was one, rather than asking a reader who just arrived to reload.
    """
    hub = _hub()
    queue: asyncio.Queue = asyncio.Queue(maxsize=QUEUE_LIMIT)
    hub.queues[thread_id].add(queue)  # before reading the backlog, so nothing falls between
    try:
        # The newest event this reader has (or the position its page was drawn at): where a
        # catch-up after a lost subscription starts from.
        last_seen = last_event_id or since
        # The first bytes go out once events can arrive, so "open" means "listening".
        listening = True
        try:
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow the
            # cancellation that ends a stream when its reader leaves, if what it waits for
            # arrives in the same moment, and the stream then outlives its reader.
            async with asyncio.timeout(5):
                await hub.ready.wait()
        except TimeoutError:
            listening = False
            if not last_seen:
                yield RESYNC  # Redis is unreachable, and nothing to catch up from: reload
        yield b"retry: 3000\n\n"
        sent: set[str] = set()
        if last_seen:
            try:
                missed = await broker().since(thread_id, last_seen)
            except UNREACHABLE:
                if listening:
                    raise
                # Redis is out of reach: once this process's subscription answers again, the
                # stream catches up from its position (_caught_up), as every open stream does.
                missed = []
            if missed is None:
                last_seen = ""
                if last_event_id:
                    yield RESYNC
            for event in missed or ():
                sent.add(event.id)
                last_seen = event.id
                yield event.encode()
        keepalive = settings.LIVE_KEEPALIVE_SECONDS
        while True:
            try:
                async with asyncio.timeout(keepalive):
                    event = await queue.get()
            except TimeoutError:
                yield b": keep-alive\n\n"
                continue
            if event is _CATCH_UP:
                caught, last_seen = await _caught_up(thread_id, last_seen, sent)
                for chunk in caught:
                    yield chunk
                continue
            if getattr(queue, "overflowed", False):
                queue.overflowed = False  # type: ignore[attr-defined]
                while not queue.empty():
                    queue.get_nowait()
                yield RESYNC
                continue
            if event.id in sent:
                continue
            last_seen = event.id
            yield event.encode()
    finally:
        queues = hub.queues.get(thread_id)
        if queues is not None:
            queues.discard(queue)
            if not queues:
                hub.queues.pop(thread_id, None)


async def _caught_up(thread_id: Topic, last_seen: str, sent: set[str]) -> tuple[list[bytes], str]:
    """The events of ``thread_id`` after ``last_seen`` that this process's subscription missed
    while it had lost Redis, as a stream sends them, and the newest one's id. A stream that
    knows no position (its page was drawn without one) sends nothing, as before; one whose
    position the log has moved on past, or that finds Redis gone again, asks its reader to
    resync, as a stream that fell behind does."""
    if not last_seen:
        return [], last_seen
    try:
        missed = await broker().since(thread_id, last_seen)
    except UNREACHABLE:
        return [RESYNC], last_seen  # a later catch-up may still place it
    if missed is None:
        return [RESYNC], ""
    chunks = []
    for event in missed:
        if event.id not in sent:
            sent.add(event.id)
            chunks.append(event.encode())
        last_seen = event.id
    return chunks, last_seen


# --- Serving streams: an ASGI layer in front of Django --------------------------------------


def _reader_request(scope: dict[str, Any]):
    """The stream's request as Django's middleware would hand it to a view: its session and its
    user (both read lazily, so a public thread's stream never touches them)."""
    import io
    from importlib import import_module

    from django.contrib.auth import get_user
    from django.core.handlers.asgi import ASGIRequest
    from django.utils.functional import SimpleLazyObject

    request = ASGIRequest(scope, io.BytesIO())
    engine = import_module(settings.SESSION_ENGINE)
    request.session = engine.SessionStore(request.COOKIES.get(settings.SESSION_COOKIE_NAME))
    request.user = SimpleLazyObject(lambda: get_user(request))
    return request


def _thread_readable(scope: dict[str, Any], thread_id: int) -> bool:
    """May this reader follow the thread (``discussion.selectors.readable_thread``)? Checked on a
    worker thread; the connection goes straight back (an open stream holds none)."""
    from django.db import close_old_connections, connections

    from discussion.selectors import readable_thread

    try:
        request = _reader_request(scope)
        return readable_thread(request=request, thread_id=thread_id) is not None
    finally:
        connections.close_all()
        close_old_connections()


def _feed_allowed(scope: dict[str, Any], feed: Feed) -> bool:
    """May this request follow ``feed`` (its ``allowed``)? Checked on a worker thread, as a
    thread's readability is; the connection goes straight back."""
    from django.db import close_old_connections, connections

    try:
        return bool(feed.allowed(_reader_request(scope)))
    finally:
        connections.close_all()
        close_old_connections()


class LiveEvents:
    """Serve ``/discussion/threads/<id>/events/``, and each registered feed's path, without
    Django's request machinery.

    A stream may stay open for hours. Through Django each one would keep a request, its
    middleware state and a thread of its own; here it is one coroutine and one queue, so a
    process holds thousands. Everything else goes on to ``app``.
    """

    def __init__(self, app: Any) -> None:
        self.app = app
        self._pattern = None
        self._head = ""
        self._feed_paths: dict[str, Feed] | None = None

    def _feed_at(self, path: str) -> Feed | None:
        if self._feed_paths is None:
            from django.urls import reverse

            self._feed_paths = {reverse(feed.url_name): feed for feed in _feeds.values()}
        return self._feed_paths.get(path)

    def _match(self, path: str) -> int | None:
        if self._pattern is None:
            import re

            from django.urls import reverse

            sample = reverse("discussion:thread_events", kwargs={"thread_id": 918273645})
            head, _, tail = sample.partition("918273645")
            self._pattern = re.compile(f"^{re.escape(head)}([0-9]{{1,18}}){re.escape(tail)}$")
            self._head = head
        if not path.startswith(self._head):  # most requests: no regex for them
            return None
        found = self._pattern.match(path)
        return int(found.group(1)) if found else None

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        topic: Topic | None = None
        feed = None
        if scope["type"] == "http" and scope["method"] == "GET":
            path = site_path(scope)
            topic = self._match(path)
            if topic is None and (feed := self._feed_at(path)) is not None:
                topic = feed.name
        if topic is None:
            await self.app(scope, receive, send)
            return
        await self._serve(scope, receive, send, topic, feed)

    async def _serve(self, scope, receive, send, thread_id: Topic, feed: Feed | None) -> None:
        from asgiref.sync import sync_to_async
        from django.http.request import split_domain_port, validate_host

        headers = dict(scope.get("headers", ()))
        host, _port = split_domain_port(headers.get(b"host", b"").decode("latin-1"))
        if not validate_host(host, settings.ALLOWED_HOSTS):
            await _plain(send, 400, b"Bad Request")
            return
        if feed is not None:
            # A feed says nothing, not even that it is there, to anyone its check refuses.
            if not await sync_to_async(_feed_allowed, thread_sensitive=False)(scope, feed):
                await _plain(send, 403, b"Forbidden")
                return
        elif not await sync_to_async(_thread_readable, thread_sensitive=False)(scope, thread_id):
            await _plain(send, 404, b"No such discussion")
            return
        last_event_id = headers.get(b"last-event-id", b"").decode("latin-1")[:64]
        since = _since_param(scope.get("query_string", b""))
        # Before the headers go out: once they have, the reader's page shows the stream as open,
        # and a deploy's SIGTERM may come at once. The stop watch must be in place by then, or
        # that signal reached only the server, which then waited for this stream for good.
        stopping = _hub().stopping
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"text/event-stream; charset=utf-8"),
                    (b"cache-control", b"no-cache, no-transform"),
                    (b"x-accel-buffering", b"no"),  # a proxy in front must not hold events back
                    (b"x-content-type-options", b"nosniff"),
                ],
            }
        )
        events = stream(thread_id, last_event_id, since)

        async def pump() -> None:
            async for chunk in events:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})

        async def until_disconnect() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass

        tasks = [
            asyncio.ensure_future(pump()),
            asyncio.ensure_future(until_disconnect()),
            asyncio.ensure_future(stopping.wait()),
        ]
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await events.aclose()
        if stopping.is_set():  # the answer ends; the browser reconnects to a process that runs
            await send({"type": "http.response.body", "body": b"", "more_body": False})


def _since_param(query_string: bytes) -> str:
    """The page's ``since`` from the query string; anything else in it is ignored."""
    from urllib.parse import parse_qsl

    for name, value in parse_qsl(query_string[:4096].decode("latin-1")):
        if name == "since":
            return value[:64]
    return ""


async def _plain(send: Any, status: int, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": body})
