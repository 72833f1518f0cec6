"""The live site's folder (its database, media and static files, some 45 MB) goes at the end of
every run of the browser tests, a failed one included: failed runs used to leave theirs in the
temporary directory, where nothing removed them. A run killed outright (SIGKILL) runs no code to
remove its own, so the next run removes the folders whose run has ended (site_folders)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

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
