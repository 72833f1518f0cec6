"""Django's PostgreSQL backend, with one addition: a pooled connection that the server has
already closed is not handed to a request.

When PostgreSQL restarts (an upgrade, a failover, ``pg_ctl restart``), it tells every connection
it ends so, and closes it; psycopg's pool keeps those connections until someone uses one. Each
then failed its request with a 500 ("terminating connection due to administrator command"): one
request per connection the pool held, up to ``DATABASE_POOL_SIZE`` in every app process.
Django's own remedy, ``CONN_HEALTH_CHECKS``, makes the pool send an empty query with every
connection it lends: a round trip more for every request. Here the pool's connection is looked
at instead: an idle connection has nothing to read unless the server has spoken (its notice that
it ended the connection, then the end of the stream), so a readable one is closed and given
back, and the pool lends another. The look is one ``poll`` of the socket, no round trip. A
server that vanished without a word, its machine gone, sends nothing; the keepalives the settings
ask libpq for (DATABASE_NETWORK_TIMEOUT) make the kernel end such a connection while it sits idle,
which makes it readable here too.

And a third: a statement prepared on the server (core.db.read_cursor) is logged with its text.
Django's backend read the text of what psycopg sent, and psycopg sends a prepared statement by
name alone, so once a connection had run a statement ``DATABASE_PREPARE_THRESHOLD`` times, the
query log (the ``django.db.backends`` logger, and the tests' ``CaptureQueriesContext``) recorded
it as ``None``: the hottest statements went unnamed. The log only: nothing here runs unless
query logging is on.

And one more: while the server refuses connections (stopped, or at its max_connections), a
request is told so at once (``RefusingServerPool``) instead of waiting out the pool's timeout;
once it is back, the next request is served and the pool refills by itself, whatever the
outage's length.
"""

from __future__ import annotations

import select
import threading

import psycopg
from django.db.backends.base.base import NO_DB_ALIAS
from django.db.backends.postgresql import base, operations
from psycopg.pq import TransactionStatus
from psycopg_pool import ConnectionPool
from psycopg_pool.pool import MaintenanceTask

from core.db import numbered
from core.django_threads import on_app_thread


def closed_by_server(connection) -> bool:
    """Whether the server has written to ``connection`` while it sat idle in the pool: the
    notice that it ended the connection, or the end of the stream."""
    try:
        readable, _, _ = select.select([connection.fileno()], [], [], 0)
    except (OSError, ValueError):  # no socket any more
        return True
    return bool(readable)


class DatabaseUnreachable(psycopg.OperationalError):
    """No connection could be had: the server refused one, did not answer, or every one the
    pool may open stayed lent for its whole timeout. Django raises it as its own
    ``OperationalError``, with this as the cause; the site answers a 503 for it
    (core.views.server_error), not a 500."""


def database_unreachable(error: BaseException | None) -> bool:
    """Whether ``error`` (as Django raised it) says no database connection could be had."""
    return isinstance(error, DatabaseUnreachable) or isinstance(
        getattr(error, "__cause__", None), DatabaseUnreachable
    )


class RefusingServerPool(ConnectionPool):
    """psycopg's pool, except that a borrower is not kept waiting while the server refuses.

    psycopg's borrower that finds no idle connection waits for the pool's workers to make one,
    up to the pool's timeout (10 s), and they retry a refused connection with a growing delay:
    while the server refused (stopped, or at its max_connections) every request, the health
    probe among them, hung 10 s before failing. Here a borrower that finds no idle connection,
    where the pool may open one more, connects itself: that fails at once when refused (within
    DATABASE_NETWORK_TIMEOUT when unanswered), and succeeds as soon as the server is back.
    Once an attempt has failed, and until one succeeds, one borrower at a time tries; the others
    meanwhile fail at once with the last refusal. With every connection lent, a borrower waits
    for one to come back, as before.

    A connection given back lost (the server ended it) gives up its place in the pool at once.
    psycopg kept the place for a replacement of its own, retried with a doubling delay for up to
    5 minutes (``reconnect_timeout``): with every place so kept (the pool at its size when the
    server went) a borrower found no room to connect, waited out the pool's timeout instead of
    being refused at once, and went on waiting after the server was back, until the next retry
    came round (up to about the outage's length later). Borrowers connect in the place instead,
    as above; the other replacements psycopg makes (for an expired connection, at opening) give
    their place up once refused too (``reconnect_timeout=0``: two tries, then
    ``reconnect_failed``). The pool's ``min_size`` is kept by one attempt every REFILL_INTERVAL
    seconds for as long as it takes: psycopg gave up after its 5 minutes, and after a longer
    outage the pool refilled only through requests, each connecting in its own time.

    It uses the pool's own members (``_pool``, ``_lock``, ``_nconns``, ``_min_size``,
    ``_stats``, ``_connect``, ``_return_connection``, ``_close_connection``, ``_add_to_pool``,
    ``MaintenanceTask``) as psycopg_pool 3.3 has them: uv.lock pins it, and
    core/tests/test_postgresql_refusing.py and test_postgresql_outage.py fail if they change.
    """

    REFILL_INTERVAL = 2.0  # seconds between attempts to bring the pool back to its min_size

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("reconnect_timeout", 0.0)
        super().__init__(*args, **kwargs)
        self.refusal: Exception | None = None
        self._trying = threading.Lock()
        self._refill_due = False  # an attempt is scheduled (under _lock)

    def _connect(self, timeout: float | None = None):
        try:
            connection = super()._connect(timeout)
        except Exception as error:
            self.refusal = error
            raise
        self.refusal = None
        return connection

    def getconn(self, timeout: float | None = None):
        if self._pool:  # a connection is idle
            return super().getconn(timeout)
        self._check_open_getconn()
        refusing = self.refusal is not None
        if refusing and not self._trying.acquire(blocking=False):
            raise DatabaseUnreachable(f"the database refused a connection: {self.refusal}")
        try:
            with self._lock:  # counted as one of the pool's, so it is taken back as one
                room = self._nconns < self._max_size
                if room:
                    self._nconns += 1
            if not room:  # every connection is lent: wait for one to come back
                return super().getconn(timeout)
            try:
                return self._connect()
            except BaseException:
                with self._lock:
                    self._nconns -= 1
                raise
        finally:
            if refusing:
                self._trying.release()

    def _return_connection(self, conn, from_getconn: bool) -> None:
        if conn.pgconn.transaction_status != TransactionStatus.UNKNOWN:  # not lost
            super()._return_connection(conn, from_getconn)
            return
        self._stats[self._CONNECTIONS_LOST if from_getconn else self._RETURNS_BAD] += 1
        self._close_connection(conn)
        with self._lock:
            self._nconns -= 1
        self._refill_later()

    def reconnect_failed(self) -> None:
        # psycopg has let a place go (above); the pool may now be under its min_size.
        super().reconnect_failed()
        self._refill_later()

    def _refill_later(self) -> None:
        with self._lock:
            if self._refill_due or self._nconns >= self._min_size:
                return
            self._refill_due = True
        self.schedule_task(_Refill(self), self.REFILL_INTERVAL)

    def refill(self) -> None:
        """One connection made for the pool, if it holds fewer than its ``min_size``; another
        attempt in REFILL_INTERVAL seconds while it is still short (the server refusing)."""
        with self._lock:
            self._refill_due = False
            short = self._nconns < self._min_size
            if short:
                self._nconns += 1
        if not short:
            return
        try:
            connection = self._connect()
        except Exception:  # refused or unanswered: recorded as the refusal (_connect)
            with self._lock:
                self._nconns -= 1
        else:
            self._add_to_pool(connection)
        self._refill_later()


class _Refill(MaintenanceTask):
    """RefusingServerPool.refill, run by one of the pool's workers."""

    def _run(self, pool: RefusingServerPool) -> None:
        pool.refill()


class DatabaseOperations(operations.DatabaseOperations):
    def last_executed_query(self, cursor, sql, params):
        text = super().last_executed_query(cursor, sql, params)
        if text is None and sql is not None and isinstance(cursor, psycopg.RawCursor):
            # Sent prepared, by name: the text it was prepared from, marked as psycopg sent it
            # the first times (core.db's cursor numbers the marks).
            return numbered(sql) if params is not None else sql
        return text


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    @property
    def pool(self):
        # Django's, with the pool above in place of psycopg's own.
        options = self.settings_dict["OPTIONS"].get("pool")
        if self.alias == NO_DB_ALIAS or not options:
            return None
        if self.alias not in self._connection_pools:
            connect_kwargs = {**self.get_connection_params(), "autocommit": True}
            pool = RefusingServerPool(
                kwargs=connect_kwargs,
                open=False,
                configure=self._configure_connection,
                check=(
                    ConnectionPool.check_connection
                    if self.settings_dict["CONN_HEALTH_CHECKS"]
                    else None
                ),
                **({} if options is True else options),
            )
            self._connection_pools.setdefault(self.alias, pool)
        return self._connection_pools[self.alias]

    def connect(self) -> None:
        super().connect()
        if self.pool and on_app_thread():
            # An app thread (core.django_threads) keeps the connection it borrowed from one
            # request to the next, rather than handing it back and borrowing one again each
            # time: the pool's lending, Django's setting up of the connection and its return
            # were about a tenth of an uncached API page's CPU. The threads are few and fixed
            # (APP_THREADS), so each holds one of the pool's DATABASE_POOL_SIZE for good; any
            # other thread borrows for a request, as before.
            self.close_at = None

    def close_if_unusable_or_obsolete(self) -> None:
        # Checked as each request starts and ends. A kept connection the server has since ended
        # (a restart) is given back to the pool, which drops it; the request then borrows another
        # (get_new_connection, below), as one that was never kept would.
        if (
            self.connection is not None
            and self.close_at is None
            and not self.in_atomic_block
            and closed_by_server(self.connection)
        ):
            self.close()
            return
        super().close_if_unusable_or_obsolete()

    def get_new_connection(self, conn_params):
        try:
            return self._lent_connection(conn_params)
        except DatabaseUnreachable:
            raise
        except psycopg.OperationalError as error:  # refused, unanswered, or the pool's timeout
            raise DatabaseUnreachable(str(error)) from error

    def _lent_connection(self, conn_params):
        pool = self.pool
        if not pool:
            return super().get_new_connection(conn_params)
        # Each stale connection is given back closed, and the pool discards it; at most the
        # pool's size of them, then whatever the pool lends (a fresh one by then).
        for _ in range(pool.max_size):
            connection = super().get_new_connection(conn_params)
            if not closed_by_server(connection):
                return connection
            connection.close()
            pool.putconn(connection)
        return super().get_new_connection(conn_params)
