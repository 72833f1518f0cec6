"""Who may not recommend comments: the apps' rules.

Other apps may keep a reader from recommending (moderation keeps a reader it has banned from
commenting from recommending too, for as long as the ban lasts: a ban is a ban on taking part,
not only on writing). discussion never imports them, so they register a check here from their
``AppConfig.ready()``; :func:`discussion.reactions.reaction_toggle` asks every check before it adds
a reader's recommendation, under the thread's lock. Taking a recommendation back is never
refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Refusal:
    """Why a reader may not recommend: the sentence they are shown, and where they can read more
    and contest it (``link``, named by ``link_label``: a ban's statement and its appeal)."""

    message: str
    link: str = ""
    link_label: str = ""


# (the reader's account id or None, their guest cookie's value or "") -> why they may not
# recommend, or None while they may.
ReactionCheck = Callable[[int | None, str], Refusal | None]

_checks: dict[str, ReactionCheck] = {}


def register(name: str, check: ReactionCheck) -> None:
    """Add a check; registering a name again replaces it."""
    _checks[name] = check


def unregister(name: str) -> None:
    _checks.pop(name, None)


def refusal(*, user_id: int | None, guest_key: str) -> Refusal | None:
    """Why this reader may not add a recommendation, or None while every check lets them."""
    for check in list(_checks.values()):
        if reason := check(user_id, guest_key):
            return reason
    return None
