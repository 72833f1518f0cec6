"""The embedded SQLite database holds readers' emails, addresses and password hashes: a fresh
one is made readable by its owner only, as the secret key is."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(var_dir: Path, *args: str) -> None:
    """Run our interpreter with the embedded defaults (no DATABASE_URL, no REDIS_URL) and
    ``var_dir`` as BROADSHEET_VAR_DIR, under the usual umask, which alone would make 0644."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    subprocess.run(  # noqa: S603  (our own interpreter, fixed arguments)
        [sys.executable, *args],
        cwd=ROOT,
        env={**env, "BROADSHEET_VAR_DIR": str(var_dir)},
        umask=0o022,
        capture_output=True,
        check=True,
    )


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_fresh_var_folder_gets_a_database_only_its_owner_can_read(tmp_path):
    # Reading the settings, which every command (migrate first) does before it opens the
    # database, makes the file: its mode is set then, and SQLite keeps the mode of a file that
    # exists. (manage.py migrate, which set up every app first, took seconds more to show it.)
    _run(tmp_path, "-c", "import broadsheet.settings")
    database = tmp_path / "broadsheet.sqlite3"
    assert _mode(database) == 0o600

    # SQLite gives the files of a WAL-mode database the main file's mode.
    connection = sqlite3.connect(database)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE written (n INTEGER)")
        connection.commit()
        assert _mode(tmp_path / "broadsheet.sqlite3-wal") == 0o600
        assert _mode(tmp_path / "broadsheet.sqlite3-shm") == 0o600
    finally:
        connection.close()


def test_a_database_file_that_exists_keeps_its_mode(tmp_path):
    database = tmp_path / "broadsheet.sqlite3"
    database.touch()
    database.chmod(0o640)  # the operator's choice, e.g. readable by a backup group
    _run(tmp_path, "-c", "import broadsheet.settings")
    assert _mode(database) == 0o640
