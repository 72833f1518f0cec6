"""One migrated database a test run, copied for each of its processes and the browser tests' site.

Migrating a new database is some 300 migrations (Wagtail's own are a hundred), 16-30 s of a core,
and a run made three: one for each pytest process (pytest-django's test database) and one for
the live site of the browser tests. Now the first to need one runs ``manage.py migrate``, as an
operator does, into a template, under a lock the run's processes share; the others wait for it,
then copy it: on SQLite with SQLite's backup API (into the test process's in-memory database, or
the live site's file), on PostgreSQL with ``CREATE DATABASE ... TEMPLATE``. Each run makes its
own template, named after the run (``BROADSHEET_TEST_RUN``), so nothing outlives the migrations
it was made from; the run's last step removes it (``remove``), and a PostgreSQL template some
killed run left is dropped by the next run once a day old.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
RUN_VARIABLE = "BROADSHEET_TEST_RUN"  # the run's id, the same in all its processes (conftest.py)
FOLDER_VARIABLE = "BROADSHEET_TEST_TEMPLATE_DIR"  # where the lock and a SQLite template live
STALE_TEMPLATE = 24 * 3600  # seconds


def _run() -> str:
    return re.sub(r"[^a-z0-9]", "", os.environ[RUN_VARIABLE].lower())[:12]


def _folder() -> Path:
    folder = Path(os.environ[FOLDER_VARIABLE])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _postgres_parts(database_url: str):
    parts = urlsplit(database_url)
    return parts if parts.scheme in ("postgres", "postgresql") else None


def _postgres_name(parts) -> str:
    # The time it was made is in its name, for the next run to drop one a killed run left.
    outer = parts.path.lstrip("/")
    made = _folder() / f"{_run()}.made"
    return f"{outer}_tpl_{made.read_text().strip()}_{_run()}"


def _sqlite_path() -> Path:
    return _folder() / f"migrated-{_run()}.sqlite3"


@contextlib.contextmanager
def _locked() -> Iterator[None]:
    fd = os.open(_folder() / f"{_run()}.lock", os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _maintenance(parts):
    import psycopg

    return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)


def ensure() -> str:
    """The run's migrated template, made if it has none yet: a SQLite file's path, or, when
    ``DATABASE_URL`` names a PostgreSQL database, a database's name on that server."""
    parts = _postgres_parts(os.environ.get("DATABASE_URL", ""))
    with _locked():
        made = _folder() / f"{_run()}.made"
        if made.exists():
            return _postgres_name(parts) if parts else str(_sqlite_path())
        _remove_files_of_old_runs()
        env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
        if parts:
            made_at = str(int(time.time()))
            outer = parts.path.lstrip("/")
            name = f"{outer}_tpl_{made_at}_{_run()}"
            _drop_stale_postgres_templates(parts, outer)
            from psycopg import sql

            with _maintenance(parts) as conn:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            env["DATABASE_URL"] = urlunsplit(parts._replace(path="/" + name))
        else:
            made_at = ""
            path = _sqlite_path()
            path.unlink(missing_ok=True)
            env["DATABASE_URL"] = f"sqlite:///{path}"
        migrate = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
            [
                sys.executable,
                "manage.py",
                "migrate",
                "--no-input",
                "--skip-checks",
                "--verbosity",
                "0",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if migrate.returncode != 0:
            raise RuntimeError(
                f"manage.py migrate into the tests' template failed ({migrate.returncode}):\n"
                f"{migrate.stdout}\n{migrate.stderr}"
            )
        made.write_text(made_at)
        return _postgres_name(parts) if parts else str(_sqlite_path())


def _remove_files_of_old_runs() -> None:
    """What runs killed before their last step left in the folder, once a day old."""
    for path in _folder().iterdir():
        with contextlib.suppress(OSError):
            if time.time() - path.stat().st_mtime > STALE_TEMPLATE:
                path.unlink()


def _drop_stale_postgres_templates(parts, outer: str) -> None:
    from psycopg import sql

    pattern = re.compile(rf"^{re.escape(outer)}_tpl_(\d+)_[a-z0-9]+$")
    with _maintenance(parts) as conn:
        names = [row[0] for row in conn.execute("SELECT datname FROM pg_database")]
        for name in names:
            match = pattern.match(name)
            if match and time.time() - int(match.group(1)) > STALE_TEMPLATE:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )


def copy_into_connection(connection) -> None:
    """Fill the Django ``connection``'s new, empty test database with the template: for
    pytest-django's test database, in place of migrating it."""
    template = ensure()
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(template)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return
    name = connection.settings_dict["NAME"]
    quote = connection.ops.quote_name
    connection.close()
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(template)}")


def copy_to_site(database_url: str | None, sqlite_path: Path) -> None:
    """Make the browser tests' site's database a copy of the template: the PostgreSQL database
    ``database_url`` names (dropped first if there), or, without one, the SQLite file
    ``sqlite_path``."""
    parts = _postgres_parts(database_url or "")
    if parts is None:
        source = sqlite3.connect(ensure())
        # Readable by its owner alone from the start, as the site makes its own file.
        os.close(os.open(sqlite_path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600))
        target = sqlite3.connect(sqlite_path)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        return
    from psycopg import sql

    template = ensure()
    name = parts.path.lstrip("/")
    with _maintenance(parts) as conn:
        drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
        conn.execute(drop.format(sql.Identifier(name)))
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)
            )
        )


def remove() -> None:
    """Remove this run's template and its files (the run's last step)."""
    folder = Path(os.environ.get(FOLDER_VARIABLE, ""))
    made = folder / f"{_run()}.made"
    if not folder.is_dir() or not made.exists():
        return
    parts = _postgres_parts(os.environ.get("DATABASE_URL", ""))
    if parts is not None and made.read_text().strip():
        from psycopg import sql

        with contextlib.suppress(Exception), _maintenance(parts) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(_postgres_name(parts))
                )
            )
    for path in (_sqlite_path(), made, folder / f"{_run()}.lock"):
        for extra in ("", "-wal", "-shm"):
            Path(f"{path}{extra}").unlink(missing_ok=True)
