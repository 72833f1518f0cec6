"""Database cursors for the statements run on every request (a thread's page of comments, the
API's article check, a reader's comment and its counters), and the inserts of a reader's comment
and its review."""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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
    from psycopg.pq import Format

    connection.ensure_connection()
    cursor = _numbered_cursor_class()(connection.connection)
    if binary and connection.timezone is datetime.UTC:
        cursor.format = Format.BINARY
    return connection._prepare_cursor(cursor)


@functools.cache
def _numbered_cursor_class() -> type:
    """Django's server-binding cursor for psycopg, taking its statements with ``$1, $2, ...``
    made once per statement text (:func:`numbered`) rather than parsed by psycopg each time.

    psycopg parses a statement's ``%s`` marks for every execution, and remembers the result only
    for statements of at most 50 parameters: a reader's comment is one statement of about 60
    (the count, the comment and its review), so psycopg split its 1,800 characters with a
    regular expression for every post (90 microseconds of the app's CPU a post, measured on the
    bench's machine). Its ``RawCursor`` takes the numbered marks PostgreSQL itself reads.
    """
    import psycopg
    from django.db.backends.postgresql.base import CursorMixin

    class NumberedCursor(CursorMixin, psycopg.RawCursor):
        def execute(self, query, params=None, **kwargs):
            if params is not None:
                query = numbered(query)
            return super().execute(query, params, **kwargs)

    return NumberedCursor


_MARK = re.compile(r"%(.)", re.DOTALL)


@functools.lru_cache(maxsize=512)
def numbered(query: str) -> str:
    """``query``'s ``%s`` marks as PostgreSQL's ``$1, $2, ...`` (and ``%%`` as ``%``), as psycopg
    reads them; any other ``%`` (a named mark) is refused, as this code never writes one."""
    count = 0

    def mark(match: re.Match) -> str:
        nonlocal count
        if match.group(1) == "%":
            return "%"
        if match.group(1) != "s":
            raise ValueError(f"Only %s marks are numbered, not %{match.group(1)}: {query[:80]}")
        count += 1
        return f"${count}"

    return _MARK.sub(mark, query)


@functools.lru_cache(maxsize=64)
def _insert_plan(model: type[Model], alias: str) -> tuple[str, tuple[Field, ...], str | None]:
    """The INSERT statement for a new ``model`` row on the database ``alias``: its text, the fields
    whose values it takes, in order, and the column it returns (the primary key), if any."""
    connection = connections[alias]
    meta = model._meta
    if meta.parents:
        raise ValueError(f"{meta.label} inherits another model's table: save it with the ORM.")
    fields = tuple(field for field in meta.local_concrete_fields if field is not meta.auto_field)
    for field in fields:
        if getattr(field, "get_placeholder", None) is not None:
            raise ValueError(f"{meta.label}.{field.name} needs its own placeholder.")
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    text = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    returned = None
    if meta.auto_field is not None:
        returned = meta.auto_field.column
        if connection.features.can_return_columns_from_insert:
            text += f" RETURNING {quote(returned)}"
    return text, fields, returned


def _prepared(instance: Model, fields: tuple[Field, ...], alias: str) -> list:
    """``instance``'s values for ``fields``, as ``save()`` prepares them (``pre_save`` sent)."""
    connection = connections[alias]
    signals.pre_save.send(
        sender=type(instance), instance=instance, raw=False, using=alias, update_fields=None
    )
    return [field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields]


def _saved(instance: Model, alias: str) -> None:
    instance._state.adding = False
    instance._state.db = alias
    signals.post_save.send(
        sender=type(instance),
        instance=instance,
        created=True,
        update_fields=None,
        raw=False,
        using=alias,
    )


@dataclass(frozen=True)
class Read:
    """A one-row read to send with others (:func:`read_together`): its text and parameters, and
    ``take``, which makes the caller's value of its first row (None when it has none)."""

    sql: str
    params: list
    take: Callable[[tuple | None], Any]
    binary: bool = False


def read_together(reads: list[Read], *, alias: str = "default") -> list[Any]:
    """Each of ``reads``' value (its ``take`` of its first row), the reads made together.

    On PostgreSQL they are one statement (:func:`_together`), sent and prepared like any
    :func:`read_cursor` statement: one round trip, and one statement for psycopg and the server
    to bind and run. They were once sent in psycopg's pipeline mode (each read a statement of its
    own, then one sync): one round trip too, but on the bench's database the three reads of a
    guest's comment took 258 microseconds of the app's CPU and 167 of PostgreSQL's that way, and
    145 and 127 as one statement (a reply's four: 332 and 200, then 180 and 147).
    Elsewhere they run one after another.
    """
    connection = connections[alias]
    if connection.vendor != "postgresql" or len(reads) < 2:
        rows = []
        for read in reads:
            with read_cursor(connection, binary=read.binary) as cursor:
                cursor.execute(read.sql, read.params)
                rows.append(cursor.fetchone())
    else:
        sql, params = _together(reads)
        # Binary only where every read may be read so (Read.binary); else all as text.
        with read_cursor(connection, binary=all(read.binary for read in reads)) as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
            names = [column.name for column in cursor.description]
        rows = _apart(row, names, len(reads))
    return [read.take(row) for read, row in zip(reads, rows, strict=True)]


def _together(reads: list[Read]) -> tuple[str, list]:
    """``reads`` as one statement that returns one row: each read's first row (or NULLs where it
    has none) after a column of its own, ``_read<n>``, that is true where it has one."""
    # The reads' own texts (statements of this code's, their values parameters), joined.
    joined = " ".join(
        f'LEFT JOIN LATERAL (SELECT true AS "_read{n}", q{n}.* FROM ({read.sql}) q{n} LIMIT 1) '  # noqa: S608
        f"r{n} ON true"
        for n, read in enumerate(reads)
    )
    sql = f"SELECT * FROM (SELECT 1) together {joined}"  # noqa: S608
    return sql, [param for read in reads for param in read.params]


def _apart(row: tuple, names: list[str], count: int) -> list[tuple | None]:
    """:func:`_together`'s row cut back into each read's first row (None where it had none)."""
    starts = [names.index(f"_read{n}") for n in range(count)]
    ends = [*starts[1:], len(names)]
    return [
        tuple(row[start + 1 : end]) if row[start] else None
        for start, end in zip(starts, ends, strict=True)
    ]


def next_id_read(model: type[Model]) -> Read | None:
    """The read of the next value of ``model``'s id sequence on PostgreSQL, for a row to be
    inserted with it later (a value taken is never given again, used or not), to send with
    other reads; None on a database without one."""
    alias = router.db_for_write(model)
    if connections[alias].vendor != "postgresql":
        return None
    meta = model._meta
    return Read(
        "SELECT nextval(pg_get_serial_sequence(%s, %s))",
        [meta.db_table, meta.auto_field.column],
        take=lambda row: row[0],
    )


def next_id(model: type[Model]) -> int | None:
    """:func:`next_id_read`'s value, read on its own; None on a database without a sequence."""
    read = next_id_read(model)
    if read is None:
        return None
    return read_together([read], alias=router.db_for_write(model))[0]


@functools.lru_cache(maxsize=64)
def _insert_select_plan(
    model: type[Model],
    alias: str,
    computed: tuple[tuple[str, str], ...],
    source: str,
    keyed: bool,
) -> tuple[str, tuple[Field, ...], str | None]:
    connection = connections[alias]
    meta = model._meta
    if meta.parents:
        raise ValueError(f"{meta.label} inherits another model's table: save it with the ORM.")
    expressions = dict(computed)
    fields = tuple(
        field for field in meta.local_concrete_fields if keyed or field is not meta.auto_field
    )
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    values = ", ".join(expressions.get(field.name, "%s") for field in fields)
    text = f"INSERT INTO {quote(meta.db_table)} ({columns}) SELECT {values} FROM {source}"  # noqa: S608
    returned = None
    if not keyed:
        returned = quote(meta.auto_field.column)
        text += f" RETURNING {returned}"
    return text, tuple(field for field in fields if field.name not in expressions), returned


@dataclass(frozen=True)
class InsertSelect:
    """One new row as an ``INSERT ... SELECT`` (:func:`insert_select`), for a statement of the
    caller's that writes it beside other rows.

    ``returns`` is the column the insert returns (the id the database gives the row), or None
    when the row came with its key. Once the statement has run, call ``saved`` with that value
    (None when ``returns`` is None): it sets the row's id and sends ``post_save``.
    """

    text: str
    params: list
    returns: str | None
    saved: Callable[[Any], None]


def insert_select(
    instance: Model, *, source: str, computed: dict[str, str] | None = None
) -> InsertSelect:
    """``instance``, a new row, as an ``INSERT ... SELECT`` from ``source``: for a statement that
    counts and saves at once, writing the row only where ``source`` has a row (a thread that took
    the comment), its statement's text and parameters built once per shape and prepared on
    PostgreSQL like :func:`insert`'s.

    A row with its key already taken (:func:`next_id`) is inserted with it; one without gets its
    id from the database, which the insert returns (``InsertSelect.returns``). ``computed``
    gives SQL expressions over ``source`` for some fields (fixed text, never a value: the values
    are the parameters); the caller sets those fields on ``instance``.
    """
    model = type(instance)
    alias = router.db_for_write(model, instance=instance)
    keyed = instance.pk is not None or model._meta.auto_field is None
    text, fields, returns = _insert_select_plan(
        model, alias, tuple(sorted((computed or {}).items())), source, keyed
    )
    params = _prepared(instance, fields, alias)

    def saved(value: Any) -> None:
        if returns is not None:
            field = model._meta.auto_field
            for converter in connections[alias].ops.get_db_converters(field.cached_col):
                value = converter(value, field.cached_col, connections[alias])
            setattr(instance, field.attname, value)
        _saved(instance, alias)

    return InsertSelect(text, params, returns, saved)


def insert(instance: Model) -> None:
    """Save ``instance`` as a new row, as ``instance.save(force_insert=True)`` does (the same
    ``pre_save`` and ``post_save`` signals, field preparation and defaults), without building the
    statement anew each time.

    For the rows a reader's comment writes: the ORM spent most of each insert compiling the
    statement (about a third of a millisecond for a comment and as much for its review row, with
    two app processes on two cores). The statement is the same each time, so on PostgreSQL it
    goes through :func:`read_cursor` and is prepared. Not for a model that inherits another's
    table.
    """
    model = type(instance)
    alias = router.db_for_write(model, instance=instance)
    connection = connections[alias]
    text, fields, returned = _insert_plan(model, alias)
    params = _prepared(instance, fields, alias)
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
    _saved(instance, alias)
