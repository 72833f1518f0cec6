"""Fixed-window hit counters in the shared cache, for the limits on every write.

A rate is count/period (s, m, h or d), as the settings take it (core.envsettings.parse_rate). Each
key counts its hits in the current window; a window's slot is made at its first hit and expires
just after the window. On Redis every counter of one call is counted in one round trip
(core.cache.incr_existing), bar a window's first hit; django-ratelimit, used before for the
comment form, made two (an add, then an increment) for every hit.
"""

from __future__ import annotations

import hashlib
import math
import time

from django.core.cache import cache

from core.cache import incr_existing

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def over_rates(checks: list[tuple[str, str]], *, prefix: str = "rate") -> bool:
    """Count one hit on each (key, rate) of ``checks``; True when any is over its rate.

    Every counter is counted, whatever the others say, so one cannot be dodged by tripping
    another first. ``prefix`` names the family of counters in the cache.
    """
    return any(count_each([(prefix, key, rate) for key, rate in checks]))


def seconds_to_next_window(rate: str) -> int:
    """Seconds until the current window of ``rate`` ends and its counters start again, at least
    one: what a refusal's ``Retry-After`` says."""
    seconds = PERIODS[rate.partition("/")[2]]
    return max(1, math.ceil(seconds - time.time() % seconds))


def count_each(checks: list[tuple[str, str, str]]) -> list[bool]:
    """Count one hit on each (prefix, key, rate) of ``checks``, counters of several families at
    once: whether each is over its rate. One round trip on Redis for them all, bar a window's
    first hit."""
    slots = []
    for prefix, key, rate in checks:
        count, _, period = rate.partition("/")
        seconds = PERIODS[period]
        window = int(time.time() // seconds)
        digest = hashlib.sha256(key.encode()).hexdigest()[:32]  # names hold spaces and any letter
        slots.append((f"{prefix}:{digest}:{window}", int(count), seconds))
    counted = incr_existing([slot for slot, _, _ in slots]) if slots else []
    over = []
    for (slot, limit, seconds), hits in zip(slots, counted, strict=True):
        if hits is None:  # the window's first hit
            # Made just now by a concurrent request if the add fails, so it cannot expire before
            # the incr.
            hits = 1 if cache.add(slot, 1, seconds + 1) else cache.incr(slot)
        over.append(hits > limit)
    return over
