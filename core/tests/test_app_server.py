"""scripts/app-server, the command every server here runs (make demo, make serve, the deploy
guide's unit): an app process that dies is replaced, and a crash loop ends the server."""

from __future__ import annotations

import os
import signal
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


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/?0", timeout=2) as answer:
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
