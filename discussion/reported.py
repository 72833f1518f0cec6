"""Which comments the reader looking at a thread has reported already.

Reports belong to moderation, which discussion never imports: moderation registers the lookup
from its ``AppConfig.ready()``. The thread then shows "Reported" where its Report link would be,
instead of a link that only leads to "you have reported this comment already". A reader who
has reported carries an identity (an account, or the guest cookie reporting gave them), so their
page is drawn for them and never comes from the shared page cache.
"""

from __future__ import annotations

from collections.abc import Callable

# (account id or None, guest cookie key or "", comment ids) -> the ids among them reported
ReportedLookup = Callable[[int | None, str, list[int]], set[int]]

_lookup: ReportedLookup | None = None


def register(lookup: ReportedLookup) -> None:
    global _lookup
    _lookup = lookup


def reported_ids(*, user_id: int | None, guest_key: str, comment_ids: list[int]) -> set[int]:
    """One query, and none for a reader with no identity or when nothing registered a lookup."""
    if _lookup is None or not comment_ids or (user_id is None and not guest_key):
        return set()
    return _lookup(user_id, guest_key, comment_ids)
