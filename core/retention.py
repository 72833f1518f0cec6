"""Readers' addresses are kept for IP_RETENTION_DAYS, then cleared; what they came with stays.

Moderation keeps where a comment, a report or a recommendation came from (an address, or a
network: ``core.client.client_network``) to count places rather than cookies. That is personal
data, needed while a burst, a mass report or a campaign can still be looked at, not for good.
core owns this registry and knows nothing of who fills it: discussion registers its reactions'
networks and moderation its reviews' addresses and reports' networks in ``AppConfig.ready()``.
The scheduler (``manage.py run_scheduler``) calls :func:`clear_all` once a day.

Each hook clears with :func:`clear_before`: in batches of ``batch`` rows, each its own short
UPDATE by primary key, found in time order through the table's index on its time, so a site
with a million old rows never holds one statement's locks for minutes.

Each kind keeps a mark (``core.models.RetentionMark``, by its registered name): the time before
which every row is known to be cleared. A pass starts there, not at the table's oldest row, so
the next day's pass reads only that day's rows rather than walking, through the time index,
every row cleared before (the index holds no address to skip them by, and a partial index would
cost every comment posted one more entry). The mark moves only forward, and only past batches
already committed: a pass that dies leaves it where its last committed batch ended, two passes
at once each move it only to where they know all is cleared, and a longer IP_RETENTION_DAYS
(a ``before`` behind the mark) clears nothing until the days catch up with it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from core.models import RetentionMark

BATCH = 2000  # rows one UPDATE clears: a few milliseconds of locks, on PostgreSQL and SQLite

RetentionHook = Callable[..., int]  # called as hook(before=..., batch=..., mark=...); rows cleared

_hooks: dict[str, RetentionHook] = {}


def register(name: str, hook: RetentionHook) -> None:
    _hooks[name] = hook


def cleared_before(*, mark: str) -> datetime | None:
    """The time before which every row of the kind ``mark`` is known to be cleared (None: no
    pass has finished a batch of it yet)."""
    return RetentionMark.objects.filter(name=mark).values_list("cleared_before", flat=True).first()


def _mark_advance(*, mark: str, to: datetime) -> None:
    """Move ``mark`` forward to ``to``, never back: another pass may have gone further."""
    ahead = Q(cleared_before__isnull=True) | Q(cleared_before__lt=to)
    if not RetentionMark.objects.filter(ahead, name=mark).update(cleared_before=to):
        # No row yet (the first pass), or already at or past ``to``; a second pass creating it
        # at the same moment is ignored, and the UPDATE again keeps the later of the two.
        RetentionMark.objects.bulk_create(
            [RetentionMark(name=mark, cleared_before=to)], ignore_conflicts=True
        )
        RetentionMark.objects.filter(ahead, name=mark).update(cleared_before=to)


def clear_before(
    kept: QuerySet,
    *,
    before: datetime,
    cleared: dict[str, Any],
    batch: int,
    time_field: str,
    mark: str,
) -> int:
    """Set ``cleared`` (field: value) on the rows of ``kept`` (those still holding an address)
    whose ``time_field`` is before ``before``, ``batch`` rows per UPDATE; how many were cleared.

    The rows are read oldest first from the mark ``mark`` (where the last pass finished), each
    batch from where the last one ended, so the index on ``time_field`` is walked once, and only
    over rows not yet known to be cleared. After each batch the mark moves to its last row's
    time (rows at that very time may be left for the next batch); after the last, to
    ``before``. Each UPDATE commits on its own: call it outside a transaction, which would hold
    every batch's locks to its end."""
    total = 0
    since = cleared_before(mark=mark)
    if since is not None and since >= before:
        return total  # a longer IP_RETENTION_DAYS than the last pass's: all is cleared already
    rows = kept.filter(**{f"{time_field}__lt": before}).order_by(time_field)
    while True:
        page = rows if since is None else rows.filter(**{f"{time_field}__gte": since})
        found = list(page.values_list("pk", time_field)[:batch])
        if found:
            pks = [pk for pk, _ in found]
            total += kept.model._base_manager.filter(pk__in=pks).update(**cleared)
        if len(found) < batch:
            # Every row left before ``before`` was in this batch: all of them are cleared.
            _mark_advance(mark=mark, to=before)
            return total
        since = found[-1][1]
        _mark_advance(mark=mark, to=since)


def clear_all(*, days: int, batch: int = BATCH, now: datetime | None = None) -> dict[str, int]:
    """Clear every registered kind of address recorded more than ``days`` days before ``now``
    (the present unless given; nothing with 0 days); how many rows each hook cleared, by its
    name (the scheduler writes them out)."""
    if not days:
        return {}
    before = (now or timezone.now()) - timedelta(days=days)
    return {
        name: hook(before=before, batch=batch, mark=name) for name, hook in list(_hooks.items())
    }
