"""For tests whose behaviour is about processes: the test database as other processes see it,
and the task worker started as an operator starts it."""

from __future__ import annotations

import contextlib
import os
import re
import select
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection, connections, transaction

from core.models import WorkerHeartbeat
from core.workers import database_now

ROOT = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def database_shared_with_processes(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment for processes a test starts (``DATABASE_URL``, ``BROADSHEET_VAR_DIR``),
    in which they see the test's database, and the test sees what they write. Use it in a
    transactional test (``django_db(transaction=True)``): both sides' writes must commit.

    On PostgreSQL that is the test database itself. SQLite's test database is in this process's
    memory: it is copied (migrated, as it stands) into a file in ``tmp_path``, and this process's
    default connection points at that file until the block ends."""
    env = {**os.environ, "BROADSHEET_VAR_DIR": str(settings.VAR_DIR)}
    database = connection.settings_dict
    if connection.vendor == "postgresql":
        credentials = quote(database["USER"] or "", safe="")
        if database["PASSWORD"]:
            credentials += ":" + quote(database["PASSWORD"], safe="")
        address = f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
        yield {**env, "DATABASE_URL": f"postgres://{credentials}@{address}/{database['NAME']}"}
        return
    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    with contextlib.closing(sqlite3.connect(path)) as copy:
        connection.connection.backup(copy)
    in_memory = connections["default"]
    on_file = in_memory.__class__({**in_memory.settings_dict, "NAME": str(path)}, "default")
    connections["default"] = on_file
    try:
        yield {**env, "DATABASE_URL": f"sqlite:///{path}"}
    finally:
        on_file.close()
        connections["default"] = in_memory


def worker(env: dict[str, str], *options: str) -> subprocess.Popen:
    """``manage.py db_worker`` as an operator runs it, with ``env``, polling every 0.1 s."""
    return subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-startup-delay",
            "--no-reload",
            "--interval=0.1",
            *options,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def wait_for(condition: Callable[[], object], what: str, *, seconds: float = 30.0) -> None:
    """Poll ``condition`` until it is true, failing the test with ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds:g} s for {what}")
        time.sleep(0.05)


def wait_for_output(process: subprocess.Popen, pattern: str, *, seconds: float = 30.0) -> str:
    """Read what ``process`` (a :func:`worker`) prints until something matching ``pattern`` (a
    regular expression) appears, failing the test after ``seconds``; the text that matched. For
    a test that must wait until the worker has done something it says it did (heard a signal),
    rather than sleep for long enough. Read its output with this alone until then: it reads the
    pipe underneath Python's buffer, and what came after the match is not kept."""
    deadline = time.monotonic() + seconds
    said = b""
    pipe = process.stdout.fileno()
    while not (match := re.search(pattern, said.decode(errors="replace"))):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"waited {seconds:g} s for {pattern!r} from the worker: {said!r}")
        if select.select([pipe], [], [], remaining)[0]:
            chunk = os.read(pipe, 65536)
            if not chunk:
                raise AssertionError(f"the worker ended without saying {pattern!r}: {said!r}")
            said += chunk
    return match.group(0)


def wait_for_heartbeats_older_than(seconds: float) -> None:
    """Wait until every task worker's last beat is more than ``seconds`` old by the database's
    clock (core.workers): once a killed worker's is older than TASK_WORKER_LOST_SECONDS, the
    scheduler's next pass takes it for lost. Polls rather than sleeping for the limit, with a
    bound generous enough for a loaded machine."""
    wait_for(
        lambda: (
            not WorkerHeartbeat.objects.filter(
                beat_at__gte=database_now() - timedelta(seconds=seconds)
            ).exists()
        ),
        f"every worker's last beat to be more than {seconds:g} s old",
    )


class KilledAtCommit(BaseException):
    """The app process killed (a deploy's SIGKILL, the out-of-memory killer) in the moment after
    its change committed. A BaseException, as nothing in the process may carry on past it."""


def _killed() -> None:
    raise KilledAtCommit


@contextlib.contextmanager
def killed_at_commit() -> Iterator[None]:
    """Run the block as one transaction whose process is killed the moment it commits: what
    the block registered to run after the commit (``transaction.on_commit``) never runs, as
    Django runs those hooks in order and stops at the first that raises, here the kill,
    registered first. What the commit wrote stays. Use it in a transactional test
    (``django_db(transaction=True)``), where the block's transaction is the one that commits."""
    try:
        with transaction.atomic():
            transaction.on_commit(_killed)
            yield
    except KilledAtCommit:
        return
    raise AssertionError("the block's transaction did not commit")
