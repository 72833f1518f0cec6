"""What a reader's data download holds beyond their profile and comments.

accounts owns this registry and knows nothing of who fills it, as with ``accounts.erasures``:
moderation registers the reports the reader sent and their appeals in ``AppConfig.ready()``
(accounts never imports moderation). Each hook is called with the account's id and answers a
dict of sections (``{"reports": [...]}``), merged into the download.
"""

from __future__ import annotations

from collections.abc import Callable

ExportHook = Callable[..., dict]  # called as hook(user_id=...)

_hooks: dict[str, ExportHook] = {}


def register(name: str, hook: ExportHook) -> None:
    _hooks[name] = hook


def unregister(name: str) -> None:
    _hooks.pop(name, None)


def collect(*, user_id: int) -> dict:
    sections: dict = {}
    for hook in list(_hooks.values()):
        sections.update(hook(user_id=user_id))
    return sections
