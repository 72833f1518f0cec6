"""The live site's folder (its database, media and static files, some 45 MB) goes at the end of
every run of the browser tests, a failed one included: failed runs used to leave theirs in the
temporary directory, where nothing removed them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.e2e.conftest import PROJECT_DIR, _free_port


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
