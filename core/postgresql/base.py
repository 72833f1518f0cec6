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
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base

from core.django_threads import on_app_thread


def closed_by_server(connection) -> bool:
    """Whether the server has written to ``connection`` while it sat idle in the pool: the
    notice that it ended the connection, or the end of the stream."""
    try:
        readable, _, _ = select.select([connection.fileno()], [], [], 0)
    except (OSError, ValueError):  # no socket any more
        return True
    return bool(readable)


class DatabaseWrapper(base.DatabaseWrapper):
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
