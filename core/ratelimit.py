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


def wait_in_words(seconds: int) -> str:
    """How long to wait, in plain words, for a refusal's message: "wait 12 seconds", "wait a
    minute", "wait about 40 minutes", "wait an hour", "wait about 3 hours", from the seconds its
    ``Retry-After`` carries. Rounded up, never down, so that a reader who waits what it says is
    not refused again; "about" when it was rounded. Lower case, to go inside a sentence
    (``.capitalize()`` to begin one)."""
    seconds = max(1, int(seconds))
    if seconds < 60:
        return f"wait {seconds} second{'' if seconds == 1 else 's'}"
    if math.ceil(seconds / 60) < 60:
        unit, one, name = 60, "a minute", "minutes"
    else:
        unit, one, name = 3600, "an hour", "hours"
    count = math.ceil(seconds / unit)
    about = "" if seconds % unit == 0 else "about "
    return f"wait {about}{one if count == 1 else f'{count} {name}'}"


def say_wait(message: str, seconds: int) -> str:
    """``message`` with its ``{wait}`` (inside a sentence) or ``{Wait}`` (beginning one) said as
    :func:`wait_in_words` says ``seconds``: the refusal's Retry-After."""
    words = wait_in_words(seconds)
    return message.format(wait=words, Wait=words.capitalize())


def count_each(checks: list[tuple[str, str, str]]) -> list[bool]:
    """Count one hit on each (prefix, key, rate) of ``checks``, counters of several families at
    once: whether each is over its rate. One round trip on Redis for them all, bar a window's
    first hit."""
    over, _found = count_each_and_find(checks, [])
    return over


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:32]  # names hold spaces and any letter


def _mark_name(prefix: str, key: str) -> str:
    return f"{prefix}:{_digest(key)}:mark"


def mark(prefix: str, key: str, *, seconds: int) -> None:
    """Remember ``key`` (in the family ``prefix``) for ``seconds``: a fact about a reader that a
    later :func:`count_each_and_find` asks about with their counters, in the same round trip.
    The cache may forget it sooner (evicted, or emptied): ask only what is safe to be told "no"
    about by mistake."""
    cache.set(_mark_name(prefix, key), 1, seconds)


def count_each_and_find(
    checks: list[tuple[str, str, str]], marks: list[tuple[str, str]]
) -> tuple[list[bool], list[bool]]:
    """:func:`count_each` of ``checks``, and whether the cache holds each (prefix, key) of
    ``marks`` (set by :func:`mark`): one round trip on Redis for them all, bar a window's first
    hit. A mark found is counted as a counter is (its number means nothing), and one missing is
    not made."""
    slots = []
    for prefix, key, rate in checks:
        count, _, period = rate.partition("/")
        seconds = PERIODS[period]
        window = int(time.time() // seconds)
        slots.append((f"{prefix}:{_digest(key)}:{window}", int(count), seconds))
    names = [slot for slot, _, _ in slots] + [_mark_name(prefix, key) for prefix, key in marks]
    counted = incr_existing(names) if names else []
    over = []
    for (slot, limit, seconds), hits in zip(slots, counted[: len(slots)], strict=True):
        if hits is None:  # the window's first hit
            # Made just now by a concurrent request if the add fails, so it cannot expire before
            # the incr.
            hits = 1 if cache.add(slot, 1, seconds + 1) else cache.incr(slot)
        over.append(hits > limit)
    return over, [found is not None for found in counted[len(slots) :]]
