"""scripts/app-server, the command every server here runs (make demo, make serve, the deploy
guide's unit, the bench): an app process that dies is replaced, a crash loop ends the server, and
more than a thousand open live streams leave it answering pages."""

from __future__ import annotations

import os
import resource
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.conftest import APP_SERVER, _free_port, start_granian

TARGET = "core.tests.slow_wsgi_app:application"


def _app_processes(server: subprocess.Popen) -> set[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text()
    return {int(pid) for pid in children.split()}


def _answers(port: int, *, timeout: float = 2) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/?0", timeout=timeout) as answer:
            return answer.read() == b"done"
    except OSError:
        return False


def _until(condition, *, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.fixture
def app_server(tmp_path):
    port = _free_port()
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="broadsheet.settings", APP_THREADS="1")
    server = start_granian(env, port, tmp_path / "granian.log", target=TARGET, workers=1)
    try:
        assert _until(lambda: _answers(port), seconds=30), (tmp_path / "granian.log").read_text()
        yield port, server
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(5)


def test_the_site_answers_again_after_its_app_process_is_killed(app_server):
    port, server = app_server
    (killed,) = _app_processes(server)
    os.kill(killed, signal.SIGKILL)  # as the kernel's out-of-memory killer would
    assert _until(lambda: _app_processes(server) - {killed} and _answers(port), seconds=20)
    assert server.poll() is None


def test_an_app_process_that_keeps_dying_stops_the_server_for_its_supervisor(app_server):
    port, server = app_server
    (first,) = _app_processes(server)
    os.kill(first, signal.SIGKILL)
    assert _until(lambda: bool(_app_processes(server) - {first}), seconds=20)
    (second,) = _app_processes(server)
    os.kill(second, signal.SIGKILL)  # again, moments after it started: a crash loop
    server.wait(timeout=20)
    assert server.returncode != 0


def test_the_script_says_how_to_call_it_when_arguments_are_missing():
    answer = subprocess.run(  # noqa: S603 - our own script
        [str(APP_SERVER), "127.0.0.1"], capture_output=True, text=True, timeout=10
    )
    assert answer.returncode == 2
    assert "usage:" in answer.stderr and "HOST PORT WORKERS" in answer.stderr


def test_pages_still_answer_while_more_than_a_thousand_readers_hold_live_streams(tmp_path):
    # Breaking news: every reader with the article open holds its live stream open. Granian's
    # default limits stopped a two-process server answering anything at 1,024 such readers.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 4096)), hard))
    port = _free_port()
    server = start_granian(
        dict(os.environ),
        port,
        tmp_path / "granian.log",
        target="core.tests.held_asgi_app:application",
        workers=2,
    )
    held = []
    try:
        assert _until(lambda: _answers(port), seconds=30), (tmp_path / "granian.log").read_text()
        for _ in range(1100):
            stream = socket.create_connection(("127.0.0.1", port), timeout=5)
            stream.sendall(b"GET /hold HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            held.append(stream)
        time.sleep(1)  # every one of them taken in and waiting
        assert _answers(port, timeout=10)
    finally:
        for stream in held:
            stream.close()
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(5)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_a_second_server_on_a_port_already_served_refuses_to_start(app_server, tmp_path):
    """`make demo` run again while the first still serves (or `make serve` beside it) would bind
    the same port beside it, and readers' requests would be shared out between the two, the old
    code and the new: the second says the port is taken and stops, and the first answers on."""
    port, first = app_server
    log = tmp_path / "second.log"
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="broadsheet.settings", APP_THREADS="1")
    second = start_granian(env, port, log, target=TARGET, workers=1)
    try:
        assert second.wait(timeout=20) != 0
    finally:
        if second.poll() is None:
            os.killpg(second.pid, signal.SIGKILL)
            second.wait(5)
    assert f"127.0.0.1:{port} is already served" in log.read_text()
    assert first.poll() is None and _answers(port)
