"""Django under the ASGI server, as a WSGI application on ``APP_THREADS`` threads per process.

The ASGI layers in front (the live streams, the page cache) need an ASGI server; the views behind
them are all synchronous. Django's ASGI handler runs each request in a thread of its own and
crosses between the event loop and threads several times per request; under load on two cores
that cost more than the views themselves (measured on the bench database with 2 Granian workers:
a trivial uncached view went from about 530 to 2,460 answers/s on a thread pool).

On the pool, a request crosses to a thread once: the thread runs the WSGI application and reads
its answer to the end (or its first ``CHUNK_BYTES`` when it streams), and the event loop sends
it. The thread never waits for the event loop. asgiref's ``WsgiToAsgi``, used here before, sent
each message from the thread through ``AsyncToSync`` (three round trips to the loop per answer),
and a view still running when the server shut down then waited forever for a loop that had
stopped: the app process never exited after a SIGTERM under load, and a deploy hung until it was
killed. The WSGI iterable's ``close()`` is called on the thread, so Django's ``request_finished``
(database connections back to the pool, caches closed) runs for every request.

``APP_THREADS=1`` is a pool of one thread. Tests set ``APP_THREADS`` to 0 (the environment cannot:
it takes 1 or more), which runs every request through asgiref's thread-sensitive adapter: under
``async_to_sync`` that is the test's own thread, inside its transaction. That adapter is the
``WsgiToAsgi`` path described above, so a server must never run on it: 1 used to mean it, and an
app process with one thread then hung on SIGTERM after a burst of load, as described.
"""

from __future__ import annotations

import asyncio
import functools
import io
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from tempfile import SpooledTemporaryFile
from typing import Any, BinaryIO

from asgiref.wsgi import WsgiToAsgi, WsgiToAsgiInstance
from django.conf import settings

CHUNK_BYTES = 256 * 1024  # a streamed answer is handed to the loop in pieces of about this size
_BODY_IN_MEMORY = 64 * 1024  # a bigger request body is spooled to a temporary file
_DUPLICATE_HEADER_LIMIT = 100


_app_thread = threading.local()


def on_app_thread() -> bool:
    """Whether this thread is one of the pool's, which answer requests one after another for as
    long as the process lives (core.postgresql keeps its database connection between them)."""
    return getattr(_app_thread, "marked", False)


def _mark_app_thread() -> None:
    _app_thread.marked = True


@functools.cache
def _pool(threads: int) -> ThreadPoolExecutor:
    return ThreadPoolExecutor(
        max_workers=threads, thread_name_prefix="django", initializer=_mark_app_thread
    )


class _Answer:
    """One request's WSGI call, driven from a pool thread; the loop only sends what it returns."""

    __slots__ = ("application", "start", "content_length", "sent", "iterator", "iterable")

    def __init__(self, application: Callable) -> None:
        self.application = application
        self.start: dict[str, Any] | None = None
        self.content_length: int | None = None
        self.sent = 0
        self.iterable: Iterable[bytes] | None = None
        self.iterator: Iterator[bytes] | None = None

    def start_response(self, status: str, response_headers, exc_info=None):
        if exc_info is not None and self.sent:
            raise exc_info[1].with_traceback(exc_info[2])
        code, _, _ = status.partition(" ")
        headers = []
        self.content_length = None
        for name, value in response_headers:
            lowered = name.lower()
            headers.append((lowered.encode("latin-1"), value.encode("latin-1")))
            if lowered == "content-length":
                self.content_length = int(value)
        self.start = {"type": "http.response.start", "status": int(code), "headers": headers}
        return self._write_unsupported

    @staticmethod
    def _write_unsupported(_data: bytes) -> None:
        raise NotImplementedError("the WSGI write() callable is not supported; return an iterable")

    def begin(self, environ: dict[str, Any]) -> tuple[list[bytes], bool]:
        """Call the application and read its answer, all of it or its first ``CHUNK_BYTES``."""
        self.iterable = self.application(environ, self.start_response)
        self.iterator = iter(self.iterable)
        return self.more()

    def more(self) -> tuple[list[bytes], bool]:
        """The next pieces of the body, and whether that was the end (the iterable is closed)."""
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in self.iterator:
                if self.content_length is not None:
                    # Never more bytes than the answer said it has (PEP 3333).
                    chunk = chunk[: max(self.content_length - self.sent, 0)]
                if chunk:
                    chunks.append(chunk)
                    size += len(chunk)
                    self.sent += len(chunk)
                if self.content_length is not None and self.sent >= self.content_length:
                    break
                if size >= CHUNK_BYTES:
                    return chunks, False
        except BaseException:
            self.close()
            raise
        self.close()
        return chunks, True

    def close(self) -> None:
        iterable, self.iterable = self.iterable, None
        if iterable is not None and hasattr(iterable, "close"):
            iterable.close()


def _environ(scope: dict[str, Any], body) -> dict[str, Any]:
    """The WSGI environ for ``scope``, exactly as asgiref builds it (a ``ValueError`` for too
    many copies of one header)."""
    builder = WsgiToAsgiInstance.__new__(WsgiToAsgiInstance)
    builder.scope = scope
    builder.duplicate_header_limit = _DUPLICATE_HEADER_LIMIT
    environ = builder.build_environ(scope, body)
    environ["wsgi.errors"] = sys.stderr
    return environ


async def _read_body(receive) -> BinaryIO:
    """The request body, ready to read: in memory when it came in one small message (every GET,
    most form posts), else spooled to a temporary file past ``_BODY_IN_MEMORY`` bytes. A
    ``SpooledTemporaryFile`` for every request cost more than reading the body did."""
    message = await receive()
    if message["type"] != "http.request":  # the client went away before sending it all
        raise ConnectionAbortedError("the client disconnected before sending the request")
    first = message.get("body", b"")
    if not message.get("more_body") and len(first) <= _BODY_IN_MEMORY:
        return io.BytesIO(first)
    body = SpooledTemporaryFile(max_size=_BODY_IN_MEMORY)  # noqa: SIM115  (closed by the caller)
    body.write(first)
    while message.get("more_body"):
        message = await receive()
        if message["type"] != "http.request":
            body.close()
            raise ConnectionAbortedError("the client disconnected before sending the request")
        body.write(message.get("body", b""))
    body.seek(0)
    return body


class DjangoOnThreads(WsgiToAsgi):
    """The WSGI application run on this process's pool of ``APP_THREADS``, one hop per request."""

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        threads = settings.APP_THREADS
        if threads <= 0 or scope["type"] != "http":
            await self._thread_sensitive(scope, receive, send)
            return
        try:
            body = await _read_body(receive)
        except ConnectionAbortedError:
            return
        with body:
            try:
                environ = _environ(scope, body)
            except ValueError:
                await _send_whole(send, 400, b"Bad Request: too many copies of one header")
                return
            loop = asyncio.get_running_loop()
            pool = _pool(threads)
            answer = _Answer(self.wsgi_application)
            chunks, done = await loop.run_in_executor(pool, answer.begin, environ)
            try:
                await send(answer.start)
                while True:
                    last = chunks.pop() if done and chunks else b""
                    for chunk in chunks:
                        await send({"type": "http.response.body", "body": chunk, "more_body": True})
                    if done:
                        await send({"type": "http.response.body", "body": last, "more_body": False})
                        break
                    chunks, done = await loop.run_in_executor(pool, answer.more)
            finally:
                if not done:  # the client went away mid-stream: let the application clean up
                    await loop.run_in_executor(pool, answer.close)

    async def _thread_sensitive(self, scope, receive, send) -> None:
        async def send_message(message: dict[str, Any]) -> None:
            # A coroutine function, as asgiref expects of what it calls from the thread (the
            # server's own ``send`` is a plain callable returning an awaitable).
            await send(message)

        await WsgiToAsgiInstance(self.wsgi_application)(scope, receive, send_message)


async def _send_whole(send, status: int, body: bytes) -> None:
    headers = [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})
