"""A comment is acknowledged only once its commit is on disk (shared/design/bad-input.md,
"Durability"): SQLite runs in WAL mode with ``synchronous=FULL``, and PostgreSQL keeps
``synchronous_commit`` on for the app's connections.

The suite's own SQLite database lives in memory, where neither setting means anything, so the
SQLite test opens a file database with the site's own connection settings, as ``make demo`` and
a one-machine deployment do.
"""

from __future__ import annotations

import copy

import pytest
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the default SQLite settings")
def test_a_sqlite_file_database_opens_in_wal_mode_with_full_synchronous_commits(tmp_path):
    settings_dict = copy.deepcopy(connection.settings_dict)
    settings_dict["NAME"] = str(tmp_path / "site.sqlite3")
    wrapper = SQLiteWrapper(settings_dict, alias="durability")
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            journal_mode = cursor.fetchone()[0]
            cursor.execute("PRAGMA synchronous")
            synchronous = cursor.fetchone()[0]
    finally:
        wrapper.close()
    assert journal_mode == "wal"
    assert synchronous == 2  # FULL: each commit is synced before it is acknowledged


@pytest.mark.skipif(connection.vendor != "postgresql", reason="runs on PostgreSQL")
def test_postgresql_commits_are_synchronous_on_the_apps_connections():
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"
        cursor.execute("SHOW fsync")
        assert cursor.fetchone()[0] == "on"
