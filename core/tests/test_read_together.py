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
