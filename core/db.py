"""Database cursors for the hot reads (a thread's page of comments, the API's article check)."""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper


def read_cursor(connection: BaseDatabaseWrapper) -> CursorWrapper:
    """A cursor for a read that runs on every request.

    On PostgreSQL its parameters are bound on the server, so once a connection has run the same
    statement ``DATABASE_PREPARE_THRESHOLD`` times, psycopg prepares it and PostgreSQL stops
    parsing and planning it per request (Django's own cursors send every query as text with the
    values spliced in, and so are planned anew each time). Elsewhere, or with prepared statements
    off, it is Django's own cursor. Either way Django wraps it, so query logging and counting
    (``CaptureQueriesContext``) see its queries like any other.
    """
    if connection.vendor != "postgresql" or not connection.settings_dict["OPTIONS"].get(
        "prepare_threshold"
    ):
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.ensure_connection()
    return connection._prepare_cursor(ServerBindingCursor(connection.connection))
