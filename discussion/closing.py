"""Whether an article takes new comments: its thread's own switch, and the apps' rules.

A thread an editor closes says so itself (``Thread.is_closed``). Other apps may close an
article's discussion by rules of their own (moderation closes comments a set number of days after
publication); discussion never imports them, so they register a check here from their
``AppConfig.ready()``. Every view that draws a comment form or a Reply link asks
:func:`closed_notice` (so does the read API, for its ``comments_open``), so a reader is
never offered a form that cannot take their comment;
saving a comment is refused by the same rules (moderation's screening step), whatever the page
showed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wagtail.models import Page

    from discussion.models import Thread

# A page -> the sentence that says why it takes no new comments, or None while it does.
ClosingCheck = Callable[["Page"], str | None]

_checks: dict[str, ClosingCheck] = {}

CLOSED = "This discussion is closed."
READ_ONLY = "You can read the comments, but no new ones can be posted."


def register(name: str, check: ClosingCheck) -> None:
    """Add a check; registering a name again replaces it."""
    _checks[name] = check


def unregister(name: str) -> None:
    _checks.pop(name, None)


def closed_notice(thread: Thread | None, page: Page) -> str | None:
    """What the discussion under ``page`` says instead of its comment form, or None while it
    takes comments. ``thread`` is None where nobody has commented yet."""
    if thread is not None and thread.is_closed:
        return f"{CLOSED} {READ_ONLY}"
    for check in list(_checks.values()):
        if reason := check(page):
            return f"{reason} {READ_ONLY}"
    return None
