"""A refusal for a rate says how long to wait in plain words, from the seconds its Retry-After
carries, rounded up so that waiting what it says is enough (core.ratelimit.wait_in_words)."""

from __future__ import annotations

import pytest

from core.ratelimit import wait_in_words


@pytest.mark.parametrize(
    ("seconds", "said"),
    [
        (1, "wait 1 second"),
        (2, "wait 2 seconds"),
        (59, "wait 59 seconds"),
        (60, "wait a minute"),
        (61, "wait about 2 minutes"),
        (120, "wait 2 minutes"),
        (3540, "wait 59 minutes"),
        (3541, "wait about an hour"),
        (3600, "wait an hour"),
        (3601, "wait about 2 hours"),
        (86400, "wait 24 hours"),
    ],
)
def test_the_wait_is_said_in_the_unit_that_fits_and_never_shorter_than_it_is(seconds, said):
    assert wait_in_words(seconds) == said


def test_no_wait_at_all_still_says_a_second():
    # Retry-After is at least one second (core.ratelimit.seconds_to_next_window).
    assert wait_in_words(0) == "wait 1 second"
