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
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import time
from pathlib import Path

PREFIX = "broadsheet-e2e-"
LOCK_NAME = ".run.lock"
UNLOCKED_FOLDER_AGE = 24 * 3600  # seconds


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
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed
