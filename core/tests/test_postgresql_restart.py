"""After PostgreSQL restarts, the pool's connections are dead: none is lent to a request
(core.postgresql), so readers do not get a 500 for each of them."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.db.utils import ConnectionHandler

from core.django_threads import _mark_app_thread
from core.postgresql.base import closed_by_server

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL's connection pool only"
    ),
]


@pytest.fixture
def pooled():
    """A second handle on the test database with a pool of its own, as an app process has."""
    handler = ConnectionHandler({"default": {**connection.settings_dict}})
    wrapper = handler["default"]
    yield wrapper
    wrapper.close()
    wrapper.close_pool()


def _ended_by_the_server(wrapper) -> int:
    """A connection the pool holds, ended as a restart ends it (its backend terminated)."""
    wrapper.connect()
    pid = wrapper.connection.info.backend_pid
    wrapper.close()  # back to the pool, idle
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    return pid


def test_a_connection_the_server_ended_is_not_lent_again(pooled):
    ended = _ended_by_the_server(pooled)
    deadline = time.monotonic() + 5
    while not any(closed_by_server(c) for c in pooled.pool._pool) and time.monotonic() < deadline:
        time.sleep(0.05)  # the server's notice reaches the socket

    pooled.connect()
    with pooled.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()

    assert pid != ended


def test_an_app_thread_keeps_its_connection_and_leaves_it_once_the_server_ended_it():
    """An app thread (core.django_threads) keeps the connection it borrowed between requests;
    once the server ends it (a restart), the next request borrows another instead of failing
    on it."""
    handler = ConnectionHandler({"default": {**connection.settings_dict}})
    app_thread = ThreadPoolExecutor(max_workers=1, initializer=_mark_app_thread)

    def request() -> int:
        wrapper = handler["default"]
        wrapper.close_if_unusable_or_obsolete()  # as each request starts
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (pid,) = cursor.fetchone()
        wrapper.close_if_unusable_or_obsolete()  # as each request ends
        return pid

    def kept_connection():
        return handler["default"].connection

    try:
        first = app_thread.submit(request).result()
        assert app_thread.submit(request).result() == first  # kept, not borrowed again
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [first])
        deadline = time.monotonic() + 5
        while (
            not closed_by_server(app_thread.submit(kept_connection).result())
            and time.monotonic() < deadline
        ):
            time.sleep(0.05)  # the server's notice reaches the socket

        assert app_thread.submit(request).result() != first
    finally:

        def close() -> None:
            handler["default"].close()
            handler["default"].close_pool()

        app_thread.submit(close).result()
        app_thread.shutdown()
