"""When the database server's machine vanishes (a partition, a failover to another address), a
request fails within DATABASE_NETWORK_TIMEOUT instead of holding its thread for the kernel's
15 minutes, and once the server is back the next request is served.

The vanishing is real: the app process runs in a network namespace of the test's own, reaching
PostgreSQL through a veth pair and a relay on the host side, and the namespace's route back to
the host is turned into a black hole, so packets go unanswered as they do when a machine is gone.
It needs root and iproute2 (as on this project's machines and CI), and PostgreSQL.
"""

from __future__ import annotations

import os
import select
import shutil
import socket
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

IP = shutil.which("ip") or "/usr/sbin/ip"

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
    pytest.mark.skipif(
        os.geteuid() != 0 or not Path(IP).exists(), reason="network namespaces: root and iproute2"
    ),
]

ROOT = Path(__file__).resolve().parents[2]

# The app process: one query, then one each time the test says so, each reported with its time.
CLIENT = textwrap.dedent(
    """
    import os, sys, time
    import django
    django.setup()
    from django.db import connection

    def query():
        began = time.monotonic()
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
            outcome = "ok"
        except Exception as error:
            outcome = type(error).__name__
        connection.close()  # back to the pool, as at the end of a request
        print(outcome, round(time.monotonic() - began, 2), flush=True)

    query()
    for _ in sys.stdin:
        query()
    """
)


class Relay:
    """Forwards connections made to ``address`` to PostgreSQL, on the host's side of the veth."""

    def __init__(self, address: str, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server((address, 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                near, _ = self.listener.accept()
            except OSError:
                return
            far = socket.create_connection(self.target)
            self.sockets += [near, far]
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
        """Stop, and end the server's sessions for what was relayed (the test database is
        dropped at the end of the run, which PostgreSQL refuses while a session is open)."""
        self.listener.close()
        ports = [each.getsockname()[1] for each in self.sockets[1::2]]
        for each in self.sockets:
            each.close()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE client_port = ANY(%s)",
                [ports],
            )


def _ip(*args: str) -> None:
    subprocess.run([IP, *args], check=True, capture_output=True, timeout=10)  # noqa: S603


@pytest.fixture
def namespace():
    """A namespace joined to the host by a veth pair; yields its name and the host's address."""
    tag = os.getpid() % 100_000
    name, host_end, far_end = f"bs-vanish-{tag}", f"bsv{tag}h", f"bsv{tag}n"
    subnet = f"10.{77 + tag % 100}.{tag % 250}"
    try:
        _ip("netns", "add", name)
    except subprocess.CalledProcessError as error:
        pytest.skip(f"cannot make a network namespace here: {error.stderr.decode().strip()}")
    try:
        _ip("link", "add", host_end, "type", "veth", "peer", "name", far_end)
        _ip("link", "set", far_end, "netns", name)
        _ip("addr", "add", f"{subnet}.1/24", "dev", host_end)
        _ip("link", "set", host_end, "up")
        _ip("netns", "exec", name, "ip", "addr", "add", f"{subnet}.2/24", "dev", far_end)
        _ip("netns", "exec", name, "ip", "link", "set", far_end, "up")
        _ip("netns", "exec", name, "ip", "link", "set", "lo", "up")
        yield name, f"{subnet}.1"
    finally:
        for undo in (["link", "del", host_end], ["netns", "del", name]):
            subprocess.run([IP, *undo], capture_output=True, timeout=10)  # noqa: S603


def _answer(client: subprocess.Popen, within: float) -> tuple[str, float]:
    ready, _, _ = select.select([client.stdout], [], [], within)
    if not ready:
        raise AssertionError(f"the app process had not answered after {within} s")
    outcome, seconds = client.stdout.readline().split()
    return outcome, float(seconds)


@pytest.mark.django_db
def test_a_request_fails_soon_while_the_server_is_gone_and_succeeds_once_it_is_back(namespace):
    name, host = namespace
    database = connection.settings_dict
    relay = Relay(host, (database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432)))
    url = f"postgres://{database['USER']}@{host}:{relay.port}/{database['NAME']}"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "broadsheet.settings",
        "DATABASE_URL": url,
        "DATABASE_NETWORK_TIMEOUT": "2",
        "BROADSHEET_VAR_DIR": str(settings.VAR_DIR),
        "PYTHONPATH": str(ROOT),
    }
    client = subprocess.Popen(  # noqa: S603 - our own fixed command
        [IP, "netns", "exec", name, sys.executable, "-c", CLIENT],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
        env=environment,
    )
    try:
        assert _answer(client, within=30)[0] == "ok"  # the pool holds a connection, idle

        _ip("netns", "exec", name, "ip", "route", "add", "blackhole", f"{host}/32")
        client.stdin.write("query\n")
        client.stdin.flush()
        outcome, seconds = _answer(client, within=30)  # before: no answer for 15 minutes

        assert outcome == "OperationalError"
        assert seconds < 15  # 2 s unacknowledged, noticed at the kernel's next retransmission

        _ip("netns", "exec", name, "ip", "route", "del", "blackhole", f"{host}/32")
        client.stdin.write("query\n")
        client.stdin.flush()

        assert _answer(client, within=30)[0] == "ok"
    finally:
        client.kill()
        client.wait(timeout=10)
        relay.close()
