"""A lock that at most one process of a site holds at a time, for jobs that must not run twice at
once (the scheduler's pass), taken from what the site already runs on rather than made here.

- On PostgreSQL: a session advisory lock (``pg_try_advisory_lock``), which every machine
  serving the site shares, and which PostgreSQL lets go of by itself when the holder's
  connection ends (a crash, a kill): nothing is left to expire.
- Otherwise (SQLite, which one machine serves): an exclusive ``flock`` on a file in
  ``BROADSHEET_VAR_DIR``, which the kernel lets go of when the holder exits.

Neither waits: the caller learns at once whether it holds the lock, and skips the job if not.

``wait_in_transaction`` is the other kind: inside a transaction, it waits until no other
transaction holds the same name, and holds it until this one ends, so that a check and the write
it allows cannot interleave with another's (two sign-ups taking look-alike names at once).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
from collections.abc import Iterator

from django.conf import settings
from django.db import connection


def lock_id(name: str) -> int:
    """The advisory lock's number for ``name``: the same on every machine (a signed 64-bit int,
    as PostgreSQL's advisory locks take)."""
    digest = hashlib.sha256(f"broadsheet:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextlib.contextmanager
def held_alone(name: str) -> Iterator[bool]:
    """Yield True while this process holds the site-wide lock ``name``, or False at once when
    another process holds it."""
    if connection.vendor == "postgresql":
        number = lock_id(name)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [number])
            (held,) = cursor.fetchone()
        try:
            yield bool(held)
        finally:
            if held:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [number])
        return
    path = settings.VAR_DIR / f"{name}.lock"
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def wait_in_transaction(name: str) -> None:
    """Inside ``transaction.atomic``: wait until no other transaction holds ``name``, then hold
    it until this transaction commits or rolls back.

    On PostgreSQL a transaction-scoped advisory lock (``pg_advisory_xact_lock``). On SQLite
    nothing is needed: the site's transactions are IMMEDIATE (settings), so each takes the
    database's one write lock when it begins and they already run one at a time.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("wait_in_transaction() holds its lock until a transaction ends")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id(name)])
