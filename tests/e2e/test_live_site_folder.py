"""The live site's folder (its database, media and static files, some 45 MB) goes at the end of
every run of the browser tests, a failed one included: failed runs used to leave theirs in the
temporary directory, where nothing removed them. A run killed outright (SIGKILL) runs no code to
remove its own, so the next run removes the folders whose run has ended (site_folders).

Such a run's servers (Granian, in sessions of their own) went on serving the removed folder for
good: they now stop when the run dies (server_watch.py), and the next run stops any that did
not before it removes their folder."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from tests.e2e import site_folders
from tests.e2e.conftest import PROJECT_DIR, _free_port
from tests.e2e.site_folders import (
    UNLOCKED_FOLDER_AGE,
    claim_site_folder,
    remove_folders_of_ended_runs,
)


@pytest.fixture
def short_tmp():
    """A temporary directory of its own with a short path: Chromium makes a socket in its
    profile folder there, and a Unix socket's path is at most 107 bytes, which pytest's own
    tmp_path under xdist (/tmp/pytest-of-root/pytest-N/popen-gw0/test_.../) came too near."""
    path = Path(tempfile.mkdtemp(prefix="bs-e2e-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_a_run_whose_live_site_cannot_be_set_up_leaves_no_site_folder(short_tmp: Path):
    tmp_path = short_tmp
    # A browser test run against a PostgreSQL server that is not there: the site's set-up fails.
    env = dict(os.environ, TMPDIR=str(tmp_path))
    env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{_free_port()}/broadsheet"
    env.pop("REDIS_URL", None)  # the outer run's Redis databases are not this run's to empty
    run = subprocess.run(  # noqa: S603 - our own venv's pytest, on one of our own tests
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/e2e/test_page_layout.py",
            "-p",
            "no:randomly",
            "-p",
            "no:cacheprovider",
            "-q",
        ],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    output = run.stdout + run.stderr
    assert sorted(path.name for path in tmp_path.glob("broadsheet-e2e-*")) == [], output
    # It failed where the site is set up, and as the tests' failure, not pytest's own.
    assert "OperationalError" in output, output
    assert run.returncode == pytest.ExitCode.TESTS_FAILED, output


def test_the_folder_of_a_run_killed_outright_is_removed_by_the_next_run(tmp_path: Path):
    # A process that claims a folder as a run does, then is killed with SIGKILL.
    killed = subprocess.run(  # noqa: S603 - our own interpreter on our own module
        [
            sys.executable,
            "-c",
            "import os, sys; from pathlib import Path; "
            "from tests.e2e.site_folders import claim_site_folder; "
            "print(claim_site_folder(Path(sys.argv[1]))[0], flush=True); "
            "os.kill(os.getpid(), 9)",
            str(tmp_path),
        ],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert killed.returncode == -9, killed.stderr
    left = Path(killed.stdout.strip())
    assert left.is_dir()

    assert remove_folders_of_ended_runs(tmp_path) == [left]
    assert not left.exists()


def test_the_folder_of_a_run_still_going_is_kept(tmp_path: Path):
    folder, lock = claim_site_folder(tmp_path)
    try:
        assert remove_folders_of_ended_runs(tmp_path) == []
        assert folder.is_dir()
    finally:
        os.close(lock)


def test_a_folder_without_a_lock_goes_only_once_a_day_old(tmp_path: Path):
    # An earlier version's folder, or one whose run was killed before it locked it.
    folder = Path(tempfile.mkdtemp(prefix="broadsheet-e2e-", dir=tmp_path))
    assert remove_folders_of_ended_runs(tmp_path) == []

    day_old = folder.stat().st_mtime - UNLOCKED_FOLDER_AGE - 60
    os.utime(folder, (day_old, day_old))

    assert remove_folders_of_ended_runs(tmp_path) == [folder]


# A run of the browser tests, cut down to what matters here: it claims its site's folder, starts
# the site's server on it ("today": as conftest does now; "before": as it used to, which is also
# what a server that outlived its watch looks like), and once the server takes connections prints
# the folder, its port and the pids of Granian and its workers, then is killed with SIGKILL when
# the test says.
_KILLED_RUN = textwrap.dedent(
    """
    import os, socket, subprocess, sys, time
    from pathlib import Path

    from tests.e2e.conftest import APP_SERVER, PROJECT_DIR, _free_port, start_granian
    from tests.e2e.site_folders import claim_site_folder

    temp_dir, how = Path(sys.argv[1]), sys.argv[2]
    folder, lock = claim_site_folder(temp_dir)
    port = _free_port()
    env = dict(os.environ, BROADSHEET_VAR_DIR=str(folder), APP_THREADS="1")
    log = temp_dir / "granian.log"
    target = "core.tests.slow_wsgi_app:application"
    if how == "today":
        server = start_granian(env, port, log, target=target, workers=1)
    else:
        server = subprocess.Popen(
            [str(APP_SERVER), "127.0.0.1", str(port), "1", target],
            cwd=PROJECT_DIR, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
    workers = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    print(folder, port, server.pid, *workers, flush=True)
    sys.stdin.readline()
    os.kill(os.getpid(), 9)
    """
)


def _kill_a_run_with_its_server_up(
    temp_dir: Path, how: str
) -> tuple[Path, int, list[int], socket.socket]:
    """The run's folder, its server's port and processes, and a request held open on the server,
    as a reader's live stream is (Granian waits for it to end on SIGTERM): the browser's, which
    may outlast the run for a while. The caller closes it."""
    # The server's watch waits E2E_STOP_GRACE after its SIGTERM before the SIGKILL, 10 s in a
    # real run: 1 s here, as long as the held request still outlasts the SIGTERM.
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="broadsheet.settings", E2E_STOP_GRACE="1")
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    run = subprocess.Popen(  # noqa: S603 - our own interpreter on our own modules
        [sys.executable, "-c", _KILLED_RUN, str(temp_dir), how],
        cwd=PROJECT_DIR,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    said = run.stdout.readline()
    assert said, run.stderr.read()  # the run failed before its server answered
    folder, port, *pids = said.split()
    held = socket.create_connection(("127.0.0.1", int(port)))
    held.sendall(b"GET /?600 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")  # answered in 10 min
    time.sleep(0.5)
    run.stdin.write("now\n")
    run.stdin.flush()
    assert run.wait(30) == -9, run.stderr.read()
    assert len(pids) >= 2, pids  # Granian and its worker
    return Path(folder), int(port), [int(pid) for pid in pids], held


def _running(pid: int) -> bool:
    """Whether ``pid`` runs: not gone, and not a zombie waiting for init to reap it."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rpartition(")")[2].split()[0] not in ("Z", "X")


def _served(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def _kill_all(pids: list[int]) -> None:
    for pid in pids:
        if _running(pid):
            os.kill(pid, 9)


def test_the_server_of_a_run_killed_outright_stops_with_it(short_tmp: Path):
    folder, port, pids, held = _kill_a_run_with_its_server_up(short_tmp, "today")
    try:
        # SIGTERM, then SIGKILL after server_watch.STOP_GRACE (1 s here): the request held open
        # keeps Granian from stopping on SIGTERM alone.
        deadline = time.monotonic() + 20
        while any(map(_running, pids)) and time.monotonic() < deadline:
            time.sleep(0.1)

        assert [pid for pid in pids if _running(pid)] == []
        assert not _served(port)
    finally:
        held.close()
        _kill_all(pids)


def test_the_next_run_stops_a_server_a_run_killed_outright_left(short_tmp: Path, monkeypatch):
    monkeypatch.setattr(site_folders, "STOP_GRACE", 1.0)  # SIGTERM to SIGKILL: 10 s in a real run
    folder, port, pids, held = _kill_a_run_with_its_server_up(short_tmp, "before")
    try:
        time.sleep(1)
        assert all(map(_running, pids)) and _served(port)  # orphaned, and still serving

        assert remove_folders_of_ended_runs(short_tmp) == [folder]

        assert [pid for pid in pids if _running(pid)] == []
        assert not _served(port)
        assert not folder.exists()
    finally:
        held.close()
        _kill_all(pids)
