"""After PostgreSQL restarts, the pool's connections are dead: none is lent to a request
(core.postgresql), so readers do not get a 500 for each of them."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.db.utils import ConnectionHandler

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
