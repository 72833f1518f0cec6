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
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

BATCH = 2000  # rows one UPDATE clears: a few milliseconds of locks, on PostgreSQL and SQLite

RetentionHook = Callable[..., int]  # called as hook(before=..., batch=...); rows cleared

_hooks: dict[str, RetentionHook] = {}


def register(name: str, hook: RetentionHook) -> None:
    _hooks[name] = hook


def clear_before(
    kept: QuerySet, *, before: datetime, cleared: dict[str, Any], batch: int, time_field: str
) -> int:
    """Set ``cleared`` (field: value) on the rows of ``kept`` (those still holding an address)
    whose ``time_field`` is before ``before``, ``batch`` rows per UPDATE; how many were cleared.

    Each batch is read oldest first from where the last one ended, so the index on
    ``time_field`` is walked once however many batches there are. Each UPDATE commits on its
    own: call it outside a transaction, which would hold every batch's locks to its end."""
    total = 0
    rows = kept.filter(**{f"{time_field}__lt": before}).order_by(time_field)
    since: datetime | None = None
    while True:
        page = rows if since is None else rows.filter(**{f"{time_field}__gte": since})
        found = list(page.values_list("pk", time_field)[:batch])
        if not found:
            return total
        total += kept.model._base_manager.filter(pk__in=[pk for pk, _ in found]).update(**cleared)
        if len(found) < batch:
            return total
        since = found[-1][1]


def clear_all(*, days: int, batch: int = BATCH) -> dict[str, int]:
    """Clear every registered kind of address recorded more than ``days`` days ago (nothing
    with 0); how many rows each hook cleared, by its name (the scheduler writes them out)."""
    if not days:
        return {}
    before = timezone.now() - timedelta(days=days)
    return {name: hook(before=before, batch=batch) for name, hook in list(_hooks.items())}
