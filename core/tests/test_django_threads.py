"""Django's views on the app process's pool of threads (core.django_threads), as the production
server runs them: answers arrive whole and in order, the application is always closed, and an
app process shuts down cleanly while views are still running."""

from __future__ import annotations

import os
import signal
import socket
import threading
import time

import pytest
from asgiref.sync import async_to_sync

from core.django_threads import CHUNK_BYTES, DjangoOnThreads
from tests.e2e.conftest import _free_port, start_granian


@pytest.fixture(autouse=True)
def _on_the_pool(settings):
    settings.APP_THREADS = 2  # the production default, not the tests' thread-sensitive mode


class Body:
    """A WSGI iterable that records whether the server closed it, and on which thread."""

    def __init__(self, chunks):
        self.chunks = chunks
        self.closed_on = None

    def __iter__(self):
        return iter(self.chunks)

    def close(self):
        self.closed_on = threading.current_thread().name


def call(application, *, method="GET", body=b"", parts=None, headers=(), fail_sending_after=None):
    """Send ``body`` in one message, or ``parts`` in several, as a server reads a long upload."""
    sent = []
    parts = [body] if parts is None else parts
    messages = [
        {"type": "http.request", "body": part, "more_body": n < len(parts) - 1}
        for n, part in enumerate(parts)
    ]

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):
        if fail_sending_after is not None and len(sent) >= fail_sending_after:
            raise OSError("the client went away")
        sent.append(message)

    scope = {
        "type": "http",
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": "/x/",
        "raw_path": b"/x/",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 80),
    }
    async_to_sync(application)(scope, receive, send)
    return sent


def test_an_answer_comes_whole_and_the_application_is_closed_on_a_pool_thread():
    body = Body([b"hello ", b"reader"])

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain"), ("X-Thing", "1")])
        return body

    sent = call(DjangoOnThreads(app))
    assert sent[0]["status"] == 200
    assert (b"x-thing", b"1") in sent[0]["headers"]
    assert b"".join(m["body"] for m in sent[1:]) == b"hello reader"
    assert sent[-1]["more_body"] is False
    # Django's request_finished (connections back to the pool) runs from close().
    assert body.closed_on.startswith("django")


def test_a_streamed_answer_arrives_in_order_in_pieces():
    pieces = [bytes([65 + i]) * (CHUNK_BYTES // 2 + 1) for i in range(6)]
    body = Body(pieces)

    def app(environ, start_response):
        start_response("200 OK", [])
        return body

    sent = call(DjangoOnThreads(app))
    bodies = [m for m in sent[1:]]
    assert b"".join(m["body"] for m in bodies) == b"".join(pieces)
    assert [m["more_body"] for m in bodies][-1] is False
    assert all(m["more_body"] for m in bodies[:-1])
    assert body.closed_on is not None


def test_a_client_that_goes_away_mid_answer_still_has_the_application_closed():
    body = Body([b"x" * CHUNK_BYTES, b"y" * CHUNK_BYTES, b"z" * CHUNK_BYTES])

    def app(environ, start_response):
        start_response("200 OK", [])
        return body

    with pytest.raises(OSError, match="went away"):
        call(DjangoOnThreads(app), fail_sending_after=1)
    assert body.closed_on is not None


def test_the_request_body_and_headers_reach_the_application():
    seen = {}

    def app(environ, start_response):
        seen["body"] = environ["wsgi.input"].read()
        seen["type"] = environ["CONTENT_TYPE"]
        seen["method"] = environ["REQUEST_METHOD"]
        start_response("204 No Content", [])
        return []

    sent = call(
        DjangoOnThreads(app),
        method="POST",
        body=b"a=1&b=2",
        headers=[(b"content-type", b"application/x-www-form-urlencoded")],
    )
    assert sent[0]["status"] == 204
    assert seen == {
        "body": b"a=1&b=2",
        "type": "application/x-www-form-urlencoded",
        "method": "POST",
    }


@pytest.mark.parametrize(
    "parts",
    [[b"x" * 200_000], [b"a=1&", b"b=2&", b"c=3"], [b"y" * 70_000, b"z" * 70_000]],
    ids=["one big message", "small pieces", "big pieces"],
)
def test_a_body_in_any_number_of_messages_of_any_size_reaches_the_application_whole(parts):
    seen = {}

    def app(environ, start_response):
        seen["body"] = environ["wsgi.input"].read()
        start_response("204 No Content", [])
        return []

    sent = call(DjangoOnThreads(app), method="POST", parts=parts)

    assert sent[0]["status"] == 204
    assert seen["body"] == b"".join(parts)


def test_a_client_gone_before_its_body_arrived_gets_no_answer_and_the_view_never_runs():
    ran = []

    def app(environ, start_response):
        ran.append(True)
        start_response("204 No Content", [])
        return []

    application = DjangoOnThreads(app)
    messages = [{"type": "http.request", "body": b"a=1&", "more_body": True}]

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    gone = []

    async def send(message):
        gone.append(message)

    scope = {"type": "http", "method": "POST", "path": "/x/", "query_string": b"", "headers": []}
    async_to_sync(application)(scope, receive, send)
    assert gone == [] and ran == []


def test_no_more_bytes_than_the_answer_announced_are_sent():
    def app(environ, start_response):
        start_response("200 OK", [("Content-Length", "5")])
        return [b"12345", b"67890"]

    sent = call(DjangoOnThreads(app))
    assert b"".join(m["body"] for m in sent[1:]) == b"12345"


def test_a_request_with_hundreds_of_copies_of_one_header_is_a_400():
    def app(environ, start_response):  # pragma: no cover - never reached
        raise AssertionError("the application must not run")

    sent = call(DjangoOnThreads(app), headers=[(b"x-many", b"1")] * 101)
    assert sent[0]["status"] == 400


def _slow_app_server(tmp_path, *, threads: str):
    """Granian serving core.tests.slow_wsgi_app on APP_THREADS=``threads``, once it answers."""
    port = _free_port()
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="broadsheet.settings", APP_THREADS=threads)
    server = start_granian(
        env, port, tmp_path / "granian.log", target="core.tests.slow_wsgi_app:application"
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return port, server
        except OSError:
            if time.monotonic() > deadline:
                os.killpg(server.pid, signal.SIGKILL)
                raise AssertionError("the server did not start") from None
            time.sleep(0.1)


def test_an_app_process_stops_on_sigterm_while_views_are_still_running(tmp_path):
    # A deploy or restart sends SIGTERM while requests are in flight, some of them from readers
    # who gave up waiting. The pool's threads used to hand each answer to the event loop and wait
    # for it; a view whose reader had gone then waited for good, and so did the app process.
    port, server = _slow_app_server(tmp_path, threads="2")
    try:
        clients = []
        for _ in range(6):  # views running on the pool's two threads, others waiting
            client = socket.create_connection(("127.0.0.1", port))
            client.sendall(b"GET /?0.5 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            clients.append(client)
        time.sleep(0.2)
        for client in clients[::2]:  # some readers give up before their answer comes
            client.close()
        time.sleep(0.2)
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)  # TimeoutExpired here is the bug
        assert server.returncode is not None
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(5)


@pytest.mark.parametrize("threads", ["2", "1"])
def test_an_app_process_stops_on_sigterm_after_a_burst_of_readers_hung_up(tmp_path, threads):
    # A burst of quick requests whose readers all went away, then a restart: the answers still
    # queued for the process's threads must not keep it alive. With APP_THREADS=1 the process
    # used to run its views through asgiref's adapter and then never exited.
    port, server = _slow_app_server(tmp_path, threads=threads)
    try:
        clients = []
        for _ in range(32):
            client = socket.create_connection(("127.0.0.1", port))
            client.sendall(b"GET /?0.01 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            clients.append(client)
        time.sleep(0.05)
        for client in clients:
            client.close()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=15)  # TimeoutExpired here is the bug
        assert server.returncode is not None
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(5)
