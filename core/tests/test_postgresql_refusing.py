"""While PostgreSQL refuses connections (stopped, or at its max_connections), an app process
says so at once, where every request waited out the pool's timeout (10 s) first: the health
check answers ``database failed``, and a reader gets the site's 503 page, with the text a form
posted handed back; once the server answers again, the next request is served.

The refusing server is real: a port on loopback bound with nothing listening (the kernel refuses
each connection, as for a stopped server), which then starts listening and relays to the test's
PostgreSQL (the server back). The app process runs apart, with its pool's timeout made an hour,
so a request that waited for the pool would not answer within the test's bound at all.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]

ROOT = Path(__file__).resolve().parents[2]

APP_PROCESS = textwrap.dedent(
    """
    import json, sys
    import django
    django.setup()
    from django.conf import settings
    settings.DATABASES["default"]["OPTIONS"]["pool"]["timeout"] = 3600
    from asgiref.sync import async_to_sync
    from django.test import Client
    from broadsheet.asgi import application

    def health():
        messages = []
        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}
        async def send(message):
            messages.append(message)
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
            "method": "GET", "scheme": "http", "path": "/healthz", "raw_path": b"/healthz",
            "query_string": b"", "root_path": "", "headers": [(b"host", b"10.0.0.5")],
            "client": ("10.0.0.2", 50000), "server": ("10.0.0.5", 8000),
        }
        async_to_sync(application)(scope, receive, send)
        body = b"".join(m.get("body", b"") for m in messages[1:]).decode()
        return {"status": messages[0]["status"], "body": body}

    def page(method):
        client = Client(raise_request_exception=False, HTTP_HOST="localhost")
        if method == "post":
            answer = client.post("/discussion/", {"body": "My carefully typed words"})
        else:
            answer = client.get("/")
        return {
            "status": answer.status_code,
            "retry_after": answer.get("Retry-After"),
            "body": answer.content.decode(),
        }

    for line in sys.stdin:
        print(json.dumps({line.strip(): globals()[line.split()[0]](*line.split()[1:])}), flush=True)
    """
)


class RefusingThenRelaying:
    """A loopback port that refuses connections until ``answer()``, then relays them to the
    test's PostgreSQL."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))  # bound, not listening: each connection refused
        self.port = self.socket.getsockname()[1]
        self.relayed: list[socket.socket] = []

    def answer(self) -> None:
        self.socket.listen()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        database = connection.settings_dict
        target = (database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432))
        while True:
            try:
                near, _ = self.socket.accept()
            except OSError:
                return
            far = socket.create_connection(target)
            self.relayed += [near, far]
            for source, sink in ((near, far), (far, near)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass

    def close(self) -> None:
        """Stop, and end the server's sessions relayed (the test database is dropped at the end
        of the run, which PostgreSQL refuses while a session is open)."""
        self.socket.close()
        ports = [each.getsockname()[1] for each in self.relayed[1::2]]
        for each in self.relayed:
            each.close()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE client_port = ANY(%s)",
                [ports],
            )


@pytest.fixture
def server():
    refusing = RefusingThenRelaying()
    yield refusing
    refusing.close()


@pytest.fixture
def app_process(server):
    database = connection.settings_dict
    url = f"postgres://{database['USER']}@127.0.0.1:{server.port}/{database['NAME']}"
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("REDIS_URL", "PYTEST_XDIST_WORKER")
    }
    environment.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="broadsheet.settings",
        BROADSHEET_VAR_DIR=str(settings.VAR_DIR),
        PYTHONPATH=str(ROOT),
    )
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", APP_PROCESS],
        cwd=ROOT,
        env=environment,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )

    def ask(request: str) -> dict:
        process.stdin.write(request + "\n")
        process.stdin.flush()
        answered = []
        reader = threading.Thread(target=lambda: answered.append(process.stdout.readline()))
        reader.start()
        reader.join(120)  # a bound for a stuck process, far under the pool's hour
        assert answered and answered[0], f"the app process had not answered {request!r}"
        return json.loads(answered[0])[request]

    yield ask
    process.kill()
    process.wait()


def test_the_health_check_says_at_once_that_the_database_failed(app_process):
    answer = app_process("health")

    assert (answer["status"], answer["body"]) == (503, "database failed\n")


def test_a_reader_gets_the_sites_page_saying_the_database_cannot_be_reached(app_process):
    answer = app_process("page get")

    assert answer["status"] == 503
    assert answer["retry_after"] == "30"
    assert "cannot reach its database" in answer["body"]


def test_a_posted_forms_text_comes_back_on_that_page(app_process):
    answer = app_process("page post")

    assert answer["status"] == 503
    assert "My carefully typed words" in answer["body"]


def test_once_the_server_answers_again_the_next_request_is_served(app_process, server):
    assert app_process("health")["status"] == 503
    assert app_process("health")["status"] == 503  # refused again, not waiting

    server.answer()

    assert app_process("health") == {"status": 200, "body": "ok\n"}
