"""Live events across app processes when one process loses Redis for a moment.

Each app process hears other processes' events through one Redis subscription. When that
connection drops (Redis restarted, a partition, Redis closing a subscriber whose output buffer
filled) while the other processes can still publish, the events published in the gap never
reach this process's subscription; they are still in the thread's Redis stream. Redis is real,
reached through a relay on loopback that this test can cut, as the network between one app
process and Redis would be.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import threading
import time
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

from discussion import live
from discussion.tests.factories import make_thread

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not settings.REDIS_URL, reason="with Redis (REDIS_URL) only"),
]


class Relay:
    """Passes bytes between its clients and Redis until cut; while cut, nothing listens at its
    port, as when Redis is out of reach."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.real_url = ""
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open: list[socket.socket] = []
        self.lock = threading.Lock()
        self._listen()

    def _listen(self) -> None:
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.open += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        for end in (source, sink):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        # Shut down first: closing alone leaves a thread blocked in accept() taking the next
        # connection.
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        with self.lock:
            ends, self.open = self.open, []
        for end in ends:
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()

    def restore(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", self.port))
        self._listen()

    def close(self) -> None:
        self.cut()


@pytest.fixture
def relayed_redis(settings):
    """This process's live events reach Redis through a relay; returns the relay."""
    real = urlsplit(settings.REDIS_URL)
    relay = Relay(real.hostname or "127.0.0.1", real.port or 6379)
    relay.real_url = settings.REDIS_URL
    settings.REDIS_URL = urlunsplit(real._replace(netloc=f"127.0.0.1:{relay.port}"))
    live.broker.cache_clear()
    yield relay
    relay.close()
    live.broker.cache_clear()


def _events(chunks: list[bytes]) -> list[tuple[str, dict]]:
    found = []
    for block in b"".join(chunks).decode().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "event" in fields:
            found.append((fields["event"], json.loads(fields["data"])))
    return found


class Reader(threading.Thread):
    """A reader's open stream on an event loop of its own, as under the ASGI server, opened from
    the position its page was drawn at."""

    def __init__(self, thread_id: int, since: str, count: int) -> None:
        super().__init__(daemon=True)
        self.thread_id, self.since, self.count = thread_id, since, count
        self.opened = threading.Event()
        self.chunks: list[bytes] = []

    def run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        stream = live.stream(self.thread_id, since=self.since)
        self.chunks.append(await stream.__anext__())  # its first bytes: listening
        self.opened.set()
        try:
            async with asyncio.timeout(10):
                async for chunk in stream:
                    self.chunks.append(chunk)
                    if len(_events(self.chunks)) >= self.count:
                        break
        except TimeoutError:
            pass
        await stream.aclose()


def test_a_comment_published_while_this_process_had_lost_redis_reaches_its_open_streams(
    relayed_redis,
):
    thread = make_thread()
    # The other app process, which kept Redis all along.
    other_process = live.RedisBroker(relayed_redis.real_url, settings.CACHE_KEY_PREFIX)
    reader = Reader(thread.pk, since=live.position(thread.pk), count=2)
    reader.start()
    assert reader.opened.wait(timeout=10)
    other_process.publish(thread.pk, "comment", {"id": 1})
    deadline = time.monotonic() + 5
    while not _events(reader.chunks) and time.monotonic() < deadline:
        time.sleep(0.05)

    relayed_redis.cut()
    time.sleep(0.3)  # the subscriber has found its connection gone
    other_process.publish(thread.pk, "comment", {"id": 2})
    time.sleep(2.5)  # it has tried Redis again, and failed, more than once
    relayed_redis.restore()

    reader.join(timeout=15)
    assert _events(reader.chunks) == [("comment", {"id": 1}), ("comment", {"id": 2})]


def test_a_page_opened_while_this_process_cannot_reach_redis_is_not_told_to_reload_for_nothing(
    relayed_redis,
):
    """The stream cannot listen yet, but it knows where its page stood: rather than a "New
    comments - reload to show" that a reload would not answer, it waits, and once Redis answers
    it sends what other processes published meanwhile."""
    thread = make_thread()
    other_process = live.RedisBroker(relayed_redis.real_url, settings.CACHE_KEY_PREFIX)
    drawn_at = live.position(thread.pk)
    relayed_redis.cut()

    reader = Reader(thread.pk, since=drawn_at, count=1)
    reader.start()
    assert reader.opened.wait(timeout=10)
    other_process.publish(thread.pk, "comment", {"id": 1})
    relayed_redis.restore()

    reader.join(timeout=15)
    assert _events(reader.chunks) == [("comment", {"id": 1})]
