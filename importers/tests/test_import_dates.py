"""Dates in an export as migrating newsrooms meet them: in other zones, with fractions of a
second, or out of the range a date can be kept in."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from django.core.management.base import CommandError

from discussion.models import Comment
from importers.tests.exports import disqus, disqus_post, disqus_thread, run_import
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def _import(tmp_path, data: bytes, platform: str) -> str:
    return run_import(tmp_path, platform, data, filename="export")


def test_disqus_times_with_a_fraction_or_an_offset_keep_their_moment(tmp_path):
    # Both were read as "no date", and the comments dated at the import.
    article = make_article()
    data = disqus(
        disqus_thread("t1", f"https://old.example.com{article.url}"),
        disqus_post("p1", "t1", "<p>A fraction.</p>", when="2024-05-01T09:00:00.250Z"),
        disqus_post("p2", "t1", "<p>An offset.</p>", when="2024-05-01T11:00:00+02:00"),
    )

    report = _import(tmp_path, data, "disqus")

    when = dict(Comment.objects.values_list("idempotency_key", "created_at"))
    assert when["disqus:p1"] == datetime(2024, 5, 1, 9, 0, 0, 250_000, tzinfo=UTC)
    assert when["disqus:p2"] == datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
    assert "no date" not in report


def test_a_time_before_the_first_year_in_utc_refuses_the_file_with_its_line(tmp_path):
    # 1 January of year 1 at 00:00 an hour east of Greenwich is in year 0 in UTC, which no date
    # can hold: the import crashed with an OverflowError part-way.
    article = make_article()
    lines = [
        {"format": "broadsheet-comments", "version": 1},
        {"type": "thread", "id": 1, "url": f"https://old.example.com{article.url}"},
        {
            "type": "comment",
            "id": 10,
            "thread_id": 1,
            "author_name": "Olena",
            "status": "published",
            "body": "Fine.",
            "created_at": "2024-05-01T09:00:00+00:00",
        },
        {
            "type": "comment",
            "id": 11,
            "thread_id": 1,
            "author_name": "Petro",
            "status": "published",
            "body": "From the dawn of time.",
            "created_at": "0001-01-01T00:00:00+01:00",
        },
    ]
    data = "".join(json.dumps(line) + "\n" for line in lines).encode()

    with pytest.raises(CommandError) as refused:
        _import(tmp_path, data, "broadsheet")

    assert str(refused.value) == (
        "Line 4: '0001-01-01T00:00:00+01:00' is out of the range of dates (years 1 to 9999 "
        "in UTC). Nothing was imported."
    )
    assert not Comment.objects.exists()
