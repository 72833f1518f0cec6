"""What goes with a reader's account when they delete it, beyond the account's own rows.

accounts owns this registry and knows nothing of who fills it: moderation registers the
emptying of the notes the reader wrote in their reports in ``AppConfig.ready()`` (accounts never
imports moderation). Each hook is called with the account's id inside the transaction that
deletes the account, before its row goes, so whatever a hook changes commits with the deletion
or not at all. A hook keeps what others count (a report stays in the transparency report) and
drops what the reader wrote.
"""

from __future__ import annotations

from collections.abc import Callable

ErasureHook = Callable[..., object]  # called as hook(user_id=...)

_hooks: dict[str, ErasureHook] = {}


def register(name: str, hook: ErasureHook) -> None:
    _hooks[name] = hook


def unregister(name: str) -> None:
    _hooks.pop(name, None)


def run(*, user_id: int) -> None:
    for hook in list(_hooks.values()):
        hook(user_id=user_id)
