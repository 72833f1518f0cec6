"""What follows a member's new display name, beyond their profile.

accounts owns this registry and knows nothing of who fills it: discussion registers the change of
the name shown on the member's comments in ``AppConfig.ready()`` (accounts never imports
discussion). Each hook is called with the account's id and the new name inside the transaction
that saves the name, so the profile and whatever a hook changes commit together or not at all; a
hook's side effects (cache purges, live events) belong in ``transaction.on_commit``.
"""

from __future__ import annotations

from collections.abc import Callable

RenameHook = Callable[..., object]  # called as hook(user_id=..., display_name=...)

_hooks: dict[str, RenameHook] = {}


def register(name: str, hook: RenameHook) -> None:
    _hooks[name] = hook


def unregister(name: str) -> None:
    _hooks.pop(name, None)


def run(*, user_id: int, display_name: str) -> None:
    for hook in list(_hooks.values()):
        hook(user_id=user_id, display_name=display_name)
