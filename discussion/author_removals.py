"""What other apps do when authors take their own comments down.

A reader deletes a comment (``own_comments.comment_delete``), or their account with its comments
(``own_comments.comments_of_reader_erase``, "remove"). Other apps may keep things about those
comments that the author's choice settles: moderation closes an appeal still waiting on one, as
withdrawn, and readers' reports of one, as "comment deleted", keeping each row (without the
readers' words) for the transparency report's counts. discussion never imports them, so they
register a hook here from their ``AppConfig.ready()``.

Each hook is called with the comments' ids inside the transaction that removes them, before
their rows change or go: a change it makes commits with the removal, or not at all.
"""

from __future__ import annotations

from collections.abc import Callable

# The ids of comments their author is removing -> nothing.
RemovalHook = Callable[[list[int]], None]

_hooks: dict[str, RemovalHook] = {}


def register(name: str, hook: RemovalHook) -> None:
    """Add a hook; registering a name again replaces it."""
    _hooks[name] = hook


def removing(comment_ids: list[int]) -> None:
    """Tell every hook that the author is removing ``comment_ids``."""
    if not comment_ids:
        return
    for hook in list(_hooks.values()):
        hook(comment_ids)
