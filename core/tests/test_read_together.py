"""Reads sent together (core.db.read_together) answer as reads sent one by one would."""

from __future__ import annotations

import pytest
from django.db import DatabaseError

from core.db import Read, read_together

pytestmark = pytest.mark.django_db


def _first(row):
    return row[0]


def test_each_read_gets_its_own_answer_in_order():
    reads = [Read("SELECT %s + 1", [n], _first) for n in (1, 10, 100)]

    assert read_together(reads) == [2, 11, 101]


def test_a_read_that_finds_no_row_is_given_none():
    found = read_together(
        [Read("SELECT 1 WHERE 1 = 0", [], lambda row: row), Read("SELECT 7", [], _first)]
    )

    assert found == [None, 7]


def test_a_row_of_nulls_is_a_row_not_the_absence_of_one():
    found = read_together(
        [
            Read("SELECT NULL, NULL", [], lambda row: row),
            Read("SELECT 1 WHERE 1 = 0", [], lambda row: row),
        ]
    )

    assert found == [(None, None), None]


def test_reads_whose_columns_share_names_each_get_their_own_columns():
    found = read_together(
        [
            Read("SELECT 1 AS id, %s AS name", ["first"], lambda row: row),
            Read("SELECT 2 AS id", [], lambda row: row),
            Read("SELECT 3 AS id, %s AS name, true AS flag", ["third"], lambda row: row),
        ]
    )

    assert found == [(1, "first"), (2,), (3, "third", True)]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failing_read_raises_djangos_database_error_and_the_next_batch_still_runs():
    """On PostgreSQL the error comes when the batch is synced, not from a cursor's execute;
    outside a transaction, as a request reads, the connection goes on serving."""
    broken = [
        Read("SELECT 1", [], _first),
        Read("SELECT no_such_column FROM no_such_table", [], _first),
    ]

    with pytest.raises(DatabaseError):
        read_together(broken)

    assert read_together([Read("SELECT 3", [], _first), Read("SELECT 4", [], _first)]) == [3, 4]
