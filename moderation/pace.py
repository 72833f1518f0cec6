"""The limit on a staff member's changes in the moderation admin (MODERATION_STAFF_RATE).

Readers' writes are limited (core.ratelimit); so are staff's, per staff account, so that a runaway
script or a stolen session cannot act on the whole site in a moment. The rate is twice what the
fastest moderator reaches with the keyboard shortcuts, so a person never meets it. A bulk action
counts once: it is one decision, capped in size by the bulk form.

Each write is counted before it changes anything. Past the limit it is refused with a message and
nothing is done; the view keeps what the moderator typed and chose first (``keep``). While Redis
does not answer the write cannot be counted: the view keeps the same, and the error goes on to
core.middleware.UnreachableCacheAnswers, which answers 503 as it does to readers.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest

from core import ratelimit
from core.cache import UNREACHABLE

PREFIX = "moderation-staff"
_PERIODS = {"s": "second", "m": "minute", "h": "hour", "d": "day"}


def _rate_in_words(rate: str) -> str:
    count, _, period = rate.partition("/")
    return f"{int(count):,} change{'' if count == '1' else 's'} a {_PERIODS[period]}"


def too_fast_message(*, kept: str) -> str:
    """What the moderator reads when refused: why, that nothing was done, when to try again,
    and what of theirs is kept (``kept``, a sentence, or "")."""
    rate = settings.MODERATION_STAFF_RATE
    wait = ratelimit.wait_in_words(ratelimit.seconds_to_next_window(rate))
    return (
        f"You are making changes faster than this site allows ({_rate_in_words(rate)} for each "
        f"moderator), so nothing was done. {wait.capitalize()}, then try again."
        + (f" {kept}" if kept else "")
    )


def over_limit(request: HttpRequest, *, keep: Callable[[], None] = lambda: None) -> bool:
    """Count one change by the staff member making ``request``; True when it is over their
    limit. ``keep`` saves what they typed and chose, for the form to show again: called when
    the change is refused, and when it cannot be counted (Redis not answering, which raises)."""
    try:
        over = ratelimit.over_rates(
            [(f"user:{request.user.pk}", settings.MODERATION_STAFF_RATE)], prefix=PREFIX
        )
    except UNREACHABLE:
        keep()
        # Django saves no session with an answer of 500 or more, and the 503 is one.
        request.session.save()
        raise
    if over:
        keep()
    return over
