"""How often a reader may recommend: per reader, and per address for guests new to recommending.

Every press is counted against its reader (``REACTION_RATE_LIMIT``): their account, else their
guest cookie, else, without a cookie, their address. A reaction is one per reader per comment, so
what bounds how many a person can add to one comment is how many readers they can be. An account
costs a verified email address. A guest cookie costs nothing: the site hands one to anyone who
recommends, comments or reports, and a client can drop it and get another. So a guest's *first*
recommendation, under a cookie the site has not seen recommend before (whichever of its forms
minted that cookie) or with no cookie at all, also counts against their address
(``REACTION_NEW_GUEST_RATE``, an IPv4 address or an IPv6 /64). Each new identity then costs one
of the address's few new-guest slots an hour, while a guest who keeps their cookie is limited per
cookie alone, as a member is per account.

"Seen recommend before" is a mark in the shared cache, set once a guest's reaction is saved and
asked about with the reader's own counter, in the same round trip, so a returning guest's press
costs no more than it did. It lasts ``_KNOWN_SECONDS``; should the cache forget it sooner
(evicted, or emptied), the guest's next press counts against their address once more and is
marked again: a mistake only ever in the stricter direction. (A ``Reaction`` has no index on its
reader alone to ask the database, and a guest who has only commented is not marked: their first
recommendation counts against their address once.)
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest

from core import ratelimit
from core.client import client_network, guest_key

_PER_READER = "comment-react"
_NEW_GUEST = "comment-react-new-guest"
_KNOWN = "comment-react-guest"  # marks: guest keys that have recommended
_KNOWN_SECONDS = 30 * 24 * 60 * 60

# Its {wait} said from the refusal's Retry-After (core.ratelimit.say_wait).
TOO_FAST = "You are reacting faster than this site allows; {wait}, then try again."
TOO_MANY_NEW = (
    "Too many new readers at your address have recommended comments lately. Sign in, or try "
    "again later."
)


@dataclass(frozen=True)
class Counted:
    refusal: str | None  # the 429's sentence when a limit is over, else None
    new_guest: bool  # a guest not yet known to recommend: mark them once their reaction is saved
    # With a refusal: the seconds until the limits it was over count afresh (its Retry-After).
    retry_after: int | None = None


def reaction_count(request: HttpRequest, *, user_id: int | None) -> Counted:
    """Count this press against the reader's limits (one round trip to the cache for a member
    or a returning guest; two for a guest new to recommending)."""
    if user_id is not None:
        [over] = ratelimit.count_each([(_PER_READER, f"u{user_id}", settings.REACTION_RATE_LIMIT)])
        return _counted(over, False, new_guest=False)
    key = guest_key(request)
    network = client_network(request)
    new_guest_limit = (_NEW_GUEST, network, settings.REACTION_NEW_GUEST_RATE)
    if not key:
        # Without a cookie every press is a new guest: both limits count the address.
        too_fast, too_many_new = ratelimit.count_each(
            [(_PER_READER, network, settings.REACTION_RATE_LIMIT), new_guest_limit]
        )
        return _counted(too_fast, too_many_new, new_guest=True)
    [too_fast], [known] = ratelimit.count_each_and_find(
        [(_PER_READER, key, settings.REACTION_RATE_LIMIT)], [(_KNOWN, key)]
    )
    if too_fast or known:
        return _counted(too_fast, False, new_guest=not known)
    [too_many_new] = ratelimit.count_each([new_guest_limit])
    return _counted(False, too_many_new, new_guest=True)


def _counted(too_fast: bool, too_many_new: bool, *, new_guest: bool) -> Counted:
    """The count's outcome: the refusal's sentence, if any, and when to try again (the longest
    wait of the limits over)."""
    waits = []
    if too_fast:
        waits.append(ratelimit.seconds_to_next_window(settings.REACTION_RATE_LIMIT))
    if too_many_new:
        waits.append(ratelimit.seconds_to_next_window(settings.REACTION_NEW_GUEST_RATE))
    if not waits:
        return Counted(None, new_guest=new_guest)
    wait = max(waits)
    refusal = ratelimit.say_wait(TOO_FAST, wait) if too_fast else TOO_MANY_NEW
    return Counted(refusal, new_guest=new_guest, retry_after=wait)


def guest_reacted(key: str) -> None:
    """A guest's reaction was saved under ``key``: from now on they are limited per cookie."""
    ratelimit.mark(_KNOWN, key, seconds=_KNOWN_SECONDS)
