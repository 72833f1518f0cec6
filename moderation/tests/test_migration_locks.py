"""Indexes added to the big tables are built without stopping comments from being posted."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite builds indexes plainly")
def test_the_published_reviews_index_is_built_concurrently_on_postgresql():
    sql = io.StringIO()
    call_command("sqlmigrate", "moderation", "0006", stdout=sql)

    # A plain CREATE INDEX would hold off every insert into the reviews' table (every comment
    # posted) until it had read the whole table.
    assert 'CREATE INDEX CONCURRENTLY "review_reader_published"' in sql.getvalue()
    assert "BEGIN;" not in sql.getvalue()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite builds indexes plainly")
def test_the_campaign_index_is_built_concurrently_on_postgresql():
    sql = io.StringIO()
    call_command("sqlmigrate", "moderation", "0008", stdout=sql)

    assert 'CREATE INDEX CONCURRENTLY "review_campaign"' in sql.getvalue()
    assert "BEGIN;" not in sql.getvalue()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite rebuilds tables plainly")
def test_keeping_reports_of_deleted_comments_neither_rewrites_nor_rechecks_the_reports_table():
    sql = io.StringIO()
    call_command("sqlmigrate", "moderation", "0014", stdout=sql)

    # A constant default is stored once (PostgreSQL 11+), and dropping NOT NULL reads no row; a
    # re-created foreign key would read every report, and the comments, with reports held off.
    assert "ADD COLUMN \"closed_as\" varchar(16) DEFAULT '' NOT NULL;" in sql.getvalue()
    assert 'ALTER COLUMN "comment_id" DROP NOT NULL;' in sql.getvalue()
    assert "CONSTRAINT" not in sql.getvalue()
    assert "TYPE" not in sql.getvalue()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite builds indexes plainly")
def test_the_reporters_index_is_built_concurrently_on_postgresql():
    sql = io.StringIO()
    call_command("sqlmigrate", "moderation", "0017", stdout=sql)

    # Readers go on reporting comments while it builds.
    assert 'CREATE INDEX CONCURRENTLY "report_reporter"' in sql.getvalue()
    assert "BEGIN;" not in sql.getvalue()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite builds indexes plainly")
def test_the_reactions_network_column_and_indexes_leave_recommending_open_on_postgresql():
    column, indexes = io.StringIO(), io.StringIO()
    call_command("sqlmigrate", "discussion", "0017", stdout=column)
    call_command("sqlmigrate", "discussion", "0018", stdout=indexes)

    # A nullable column without a default rewrites no row; the indexes build while readers go on
    # recommending comments.
    assert 'ADD COLUMN "network" varchar(64) NULL;' in column.getvalue()
    assert "DEFAULT" not in column.getvalue()
    assert 'CREATE INDEX CONCURRENTLY "reaction_created"' in indexes.getvalue()
    assert 'CREATE INDEX CONCURRENTLY "reaction_reader"' in indexes.getvalue()
    assert "BEGIN;" not in indexes.getvalue()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite builds indexes plainly")
def test_the_actions_reader_index_is_built_concurrently_on_postgresql():
    sql = io.StringIO()
    call_command("sqlmigrate", "moderation", "0021", stdout=sql)

    # Moderators go on deciding (every decision writes an action) while it builds.
    assert 'CREATE INDEX CONCURRENTLY "action_reader"' in sql.getvalue()
    assert "BEGIN;" not in sql.getvalue()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite builds indexes plainly")
def test_the_reviews_reader_state_index_is_built_concurrently_on_postgresql():
    sql = io.StringIO()
    call_command("sqlmigrate", "moderation", "0023", stdout=sql)

    # Readers go on commenting (every comment writes a review) while it builds.
    assert 'CREATE INDEX CONCURRENTLY "review_reader_state"' in sql.getvalue()
    assert "BEGIN;" not in sql.getvalue()
