"""Database cursors for the statements run on every request (a thread's page of comments, the
API's article check, a reader's comment and its counters), and the insert of a reader's comment."""

from __future__ import annotations

import datetime
import functools

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.db.models import Field, Model, signals


def read_cursor(connection: BaseDatabaseWrapper, *, binary: bool = False) -> CursorWrapper:
    """A cursor for a statement that runs on every request: the hot reads, and a comment's
    inserts and counters. PostgreSQL had planned those anew for every comment (about half a
    millisecond to plan an UPDATE of the comments table, with its many indexes), and more
    slowly as comments written since the last vacuum piled up: on a database where 34,000 had
    been posted, a comment's POST took 8.8 ms in-process unprepared and 6.0 ms prepared.

    On PostgreSQL its parameters are bound on the server, so once a connection has run the same
    statement ``DATABASE_PREPARE_THRESHOLD`` times, psycopg prepares it and PostgreSQL stops
    parsing and planning it per request (Django's own cursors send every query as text with the
    values spliced in, and so are planned anew each time). Elsewhere, or with prepared statements
    off, it is Django's own cursor. Either way Django wraps it, so query logging and counting
    (``CaptureQueriesContext``) see its queries like any other.

    With ``binary`` (on PostgreSQL, as above) the rows come back in PostgreSQL's binary format,
    which psycopg reads in C: Django's loader for times with a time zone is Python that parses
    the text form, and the read API's page of comments spent 0.17 ms of its app CPU (of 0.33 for
    the query) reading it that way, two times a comment. Only for columns psycopg reads into the
    same values either way: numbers, text, booleans and times with a time zone (Django reads JSON
    and network addresses as text). Times come back in the session's zone, which Django sets to
    its own; the rows are the same as Django's cursor gives only while that is UTC (USE_TZ, no
    TIME_ZONE of the database's own), so otherwise they come back as text.
    """
    if connection.vendor != "postgresql" or not connection.settings_dict["OPTIONS"].get(
        "prepare_threshold"
    ):
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor
    from psycopg.pq import Format

    connection.ensure_connection()
    cursor = ServerBindingCursor(connection.connection)
    if binary and connection.timezone is datetime.UTC:
        cursor.format = Format.BINARY
    return connection._prepare_cursor(cursor)


@functools.lru_cache(maxsize=64)
def _insert_plan(
    model: type[Model], alias: str, with_pk: bool
) -> tuple[str, tuple[Field, ...], str | None]:
    """The INSERT statement for a new ``model`` row on the database ``alias``: its text, the fields
    whose values it takes, in order, and the column it returns (the primary key, unless the row
    comes ``with_pk``), if any."""
    connection = connections[alias]
    meta = model._meta
    if meta.parents:
        raise ValueError(f"{meta.label} inherits another model's table: save it with the ORM.")
    fields = tuple(
        field for field in meta.local_concrete_fields if with_pk or field is not meta.auto_field
    )
    for field in fields:
        if getattr(field, "get_placeholder", None) is not None:
            raise ValueError(f"{meta.label}.{field.name} needs its own placeholder.")
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    text = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    returned = None
    if meta.auto_field is not None and not with_pk:
        returned = meta.auto_field.column
        if connection.features.can_return_columns_from_insert:
            text += f" RETURNING {quote(returned)}"
    return text, fields, returned


def insert(instance: Model) -> None:
    """Save ``instance`` as a new row, as ``instance.save(force_insert=True)`` does (the same
    ``pre_save`` and ``post_save`` signals, field preparation and defaults), without building the
    statement anew each time.

    For the rows a reader's comment writes: the ORM spent most of each insert compiling the
    statement (about a third of a millisecond for a comment and as much for its review row, with
    two app processes on two cores). The statement is the same each time, so on PostgreSQL it
    goes through :func:`read_cursor` and is prepared. Not for a model that inherits another's
    table.

    An ``instance`` whose primary key is already set (taken from its sequence beforehand) is
    inserted with it; otherwise the database gives it one.
    """
    model = type(instance)
    alias = router.db_for_write(model, instance=instance)
    connection = connections[alias]
    text, fields, returned = _insert_plan(model, alias, instance.pk is not None)
    signals.pre_save.send(
        sender=model, instance=instance, raw=False, using=alias, update_fields=None
    )
    params = [
        field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields
    ]
    with read_cursor(connection) as cursor:
        cursor.execute(text, params)
        if returned is not None:
            if connection.features.can_return_columns_from_insert:
                value = cursor.fetchone()[0]
            else:
                value = connection.ops.last_insert_id(cursor, model._meta.db_table, returned)
            for converter in connection.ops.get_db_converters(model._meta.auto_field.cached_col):
                value = converter(value, model._meta.auto_field.cached_col, connection)
            setattr(instance, model._meta.auto_field.attname, value)
    instance._state.adding = False
    instance._state.db = alias
    signals.post_save.send(
        sender=model, instance=instance, created=True, update_fields=None, raw=False, using=alias
    )
