"""On PostgreSQL, a statement that runs on every request is prepared once a connection has run it
``DATABASE_PREPARE_THRESHOLD`` times (core.db.read_cursor). Django's query log (the
``django.db.backends`` logger an operator turns on to see what a slow page asks, and the tests'
``CaptureQueriesContext``) then recorded it as ``None``: psycopg sends a prepared statement by
name, without its text, and Django's PostgreSQL backend read the text from what was sent. The
hottest statements, a reader's comment and the thread page's reads, went unnamed in the log, and
a test asserting on a query's text passed on PostgreSQL without reading it."""

from __future__ import annotations

import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import db

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL prepares statements"),
]

STATEMENT = "SELECT %s::int AS logged_statement"


def _runs_past_the_threshold() -> int:
    threshold = connection.settings_dict["OPTIONS"].get("prepare_threshold")
    if not threshold:
        pytest.skip("prepared statements are off (DATABASE_PREPARE_THRESHOLD)")
    return threshold + 3


def test_a_prepared_statement_is_logged_with_its_text():
    runs = _runs_past_the_threshold()

    with CaptureQueriesContext(connection) as queries:
        for value in range(runs):
            with db.read_cursor(connection) as cursor:
                cursor.execute(STATEMENT, [value])
                assert cursor.fetchone() == (value,)

    texts = [query["sql"] for query in queries.captured_queries]
    assert len(texts) == runs
    assert all(text == "SELECT $1::int AS logged_statement" for text in texts), texts


def test_the_backends_logger_names_a_prepared_statement(caplog):
    runs = _runs_past_the_threshold()

    # CaptureQueriesContext turns query logging on, as DEBUG=True does.
    with (
        caplog.at_level(logging.DEBUG, logger="django.db.backends"),
        CaptureQueriesContext(connection),
    ):
        for value in range(runs):
            with db.read_cursor(connection) as cursor:
                cursor.execute(STATEMENT, [value])

    logged = [r.sql for r in caplog.records if "logged_statement" in (getattr(r, "sql", "") or "")]
    assert len(logged) == runs
