"""The API's JSON is written by orjson (api.renderers) and says what django-ninja's own renderer
said, value for value: times in Django's format, decimals and keys that are not text included."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

from ninja.renderers import JSONRenderer
from pydantic import BaseModel

from api.renderers import ORJSONRenderer


class _Schema(BaseModel):
    name: str
    at: datetime


VALUES = {
    "when": datetime(2026, 12, 4, 18, 56, 0, 123456, tzinfo=UTC),
    "whole_second": datetime(2026, 12, 4, 18, 56, 0, tzinfo=UTC),
    "day": date(2026, 12, 4),
    "amount": Decimal("1.50"),
    "id": UUID("12345678-1234-5678-1234-567812345678"),
    "name": "Zoë writes « this » — and 😀",
    "nested": [{"n": 1, "ok": True, "none": None}, 2.5],
    "model": _Schema(name="A", at=datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)),
    7: "a key that is a number",
}


def test_every_value_reads_back_as_ninjas_own_renderer_wrote_it():
    ours = ORJSONRenderer().render(None, VALUES, response_status=200)
    theirs = JSONRenderer().render(None, VALUES, response_status=200)

    assert json.loads(ours) == json.loads(theirs)


def test_times_keep_djangos_format():
    ours = json.loads(ORJSONRenderer().render(None, VALUES, response_status=200))

    assert ours["when"] == "2026-12-04T18:56:00.123Z"
    assert ours["whole_second"] == "2026-12-04T18:56:00Z"


def test_a_comments_times_are_written_as_djangos_encoder_writes_them():
    """The thread endpoint writes its times itself (api.views._when): to the millisecond, "Z"
    for UTC, exactly as Django's encoder (django-ninja's) would, whatever the microseconds."""
    from datetime import timedelta, timezone

    from django.core.serializers.json import DjangoJSONEncoder

    from api.views import _when

    django_writes = DjangoJSONEncoder().default
    times = [
        datetime(2026, 12, 4, 18, 56, 0, micro, tzinfo=UTC)
        for micro in (0, 1, 999, 1000, 123456, 500000, 999999)
    ]
    times += [datetime(1, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)]
    times += [datetime(2026, 3, 29, 1, 30, 7, 250, tzinfo=timezone(timedelta(hours=3)))]
    assert [_when(value) for value in times] == [django_writes(value) for value in times]
