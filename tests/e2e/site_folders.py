"""The live site's folder in the temporary directory, and the removal of those killed runs left.

A run removes its own folder when it ends (conftest.SitePreparation.stop), but a run killed
with SIGKILL (a CI job's timeout, the OOM killer) runs no code at all, and its folder, some 45 MB,
stayed in /tmp for good. So each run holds a lock on a file in its folder for as long as its
process lives (``flock``: the kernel lets go of it when the process dies, however it dies), and
the next run removes every folder whose lock nobody holds. A lock, not the owner's pid: a pid is
reused, and is another process's in another PID namespace sharing /tmp (a container).

Folders without a lock file are those of runs from before this rule, or of a run killed in the
moment between making its folder and locking it: they go once older than a day, which no run
lasts.

A killed run's processes may outlive it: its servers run in sessions of their own, so a signal
to the run's process group missed them, and Granian went on serving the removed folder for
good. Each is watched, and stopped when its run dies (server_watch.py); should one outlive that,
or a command the run started (``load_demo``) still run, the next run stops every process
whose environment names an ended run's folder as the site's
(``BROADSHEET_VAR_DIR``) before removing the folder (``stop_processes_of``): the server, its
workers, a ``load_demo`` still writing. Found by the folder, not by a pid kept in it, for the
reason above, and signalled through a pidfd taken before the environment is read, so a pid
reused meanwhile is never signalled.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import select
import shutil
import signal
import tempfile
import time
from pathlib import Path

PREFIX = "broadsheet-e2e-"
LOCK_NAME = ".run.lock"
UNLOCKED_FOLDER_AGE = 24 * 3600  # seconds
# The site's folder, as each process of a run's site has it in its environment (conftest).
FOLDER_VARIABLE = "BROADSHEET_VAR_DIR"
STOP_GRACE = 10.0  # seconds between SIGTERM and SIGKILL, as conftest._stop waits


def claim_site_folder(temp_dir: Path | None = None) -> tuple[Path, int]:
    """A new, empty folder for the live site, and the descriptor of its lock, held by this process
    until it closes the descriptor or dies."""
    folder = Path(tempfile.mkdtemp(prefix=PREFIX, dir=temp_dir))
    # Locked under another name, then renamed: a run sweeping at the same moment never finds the
    # lock file there and free.
    taking = folder / f"{LOCK_NAME}.new"
    fd = os.open(taking, os.O_CREAT | os.O_EXCL | os.O_RDWR | os.O_NOFOLLOW, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    taking.rename(folder / LOCK_NAME)
    return folder, fd


def _run_has_ended(folder: Path, now: float) -> bool:
    try:
        fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_NOFOLLOW)
    except FileNotFoundError:
        try:
            return now - folder.stat().st_mtime > UNLOCKED_FOLDER_AGE
        except FileNotFoundError:
            return False  # removed meanwhile, by another run
    except OSError:
        return False  # another user's, say: not ours to judge
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False  # its run is alive
    finally:
        os.close(fd)  # and with it the lock just taken
    return True


def remove_folders_of_ended_runs(temp_dir: Path | None = None) -> list[Path]:
    """Remove the site folders in ``temp_dir`` (the temporary directory by default) whose run has
    ended without removing its own; returns those removed."""
    temp_dir = Path(temp_dir or tempfile.gettempdir())
    now = time.time()
    removed = []
    for folder in sorted(temp_dir.glob(f"{PREFIX}*")):
        if folder.is_symlink() or not folder.is_dir():
            continue
        if _run_has_ended(folder, now):
            stop_processes_of(folder)
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _names_folder(pid: int, settings: set[bytes]) -> bool:
    try:
        environ = Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return False  # gone, or another user's
    return not settings.isdisjoint(environ.split(b"\0"))


def _processes_of(folder: Path) -> list[int]:
    """pidfds of the processes (this user's: others' environments cannot be read) whose
    environment names ``folder`` as the site's."""
    settings = {f"{FOLDER_VARIABLE}={path}".encode() for path in (folder, folder.resolve())}
    pidfds = []
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == os.getpid():
            continue
        pid = int(name)
        if not _names_folder(pid, settings):
            continue
        try:
            pidfd = os.pidfd_open(pid)
        except OSError:
            continue  # ended meanwhile
        # Read again through the process the pidfd holds: the pid may have been reused.
        if _names_folder(pid, settings):
            pidfds.append(pidfd)
        else:
            os.close(pidfd)
    return pidfds


def _signal_all(pidfds: list[int], signum: int) -> None:
    for pidfd in pidfds:
        with contextlib.suppress(ProcessLookupError):  # ended meanwhile
            signal.pidfd_send_signal(pidfd, signum)


def _wait_for_ends(pidfds: list[int], seconds: float) -> list[int]:
    """Those of ``pidfds`` whose process has not ended within ``seconds`` (a pidfd reads as
    ready once its process has ended)."""
    waiting = set(pidfds)
    deadline = time.monotonic() + seconds
    while waiting:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        ready, _, _ = select.select(list(waiting), [], [], left)
        waiting.difference_update(ready)
    return [pidfd for pidfd in pidfds if pidfd in waiting]


def stop_processes_of(folder: Path) -> int:
    """Stop every process that still runs the ended run's site in ``folder``: SIGTERM, then
    SIGKILL for any still there after STOP_GRACE seconds. Returns how many were found."""
    pidfds = _processes_of(folder)
    try:
        _signal_all(pidfds, signal.SIGTERM)
        still_there = _wait_for_ends(pidfds, STOP_GRACE)
        _signal_all(still_there, signal.SIGKILL)
        _wait_for_ends(still_there, 5.0)
    finally:
        for pidfd in pidfds:
            os.close(pidfd)
    return len(pidfds)
