"""What a Redis client of ours sent the server while something ran, read with MONITOR."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable

from django.core.cache import cache

# What a new connection sends first (MONITOR takes one of the pool's connections, so the code
# watched may open another): not the code's own round trips.
_OPENING = {"HELLO", "AUTH", "SELECT", "CLIENT"}


def commands_naming(redis_keys: Iterable[str] | None, action: Callable[[], object]) -> list[str]:
    """The commands any client sent the server while ``action`` ran, naming one of
    ``redis_keys`` (as Redis knows them: the cache's keys with ``cache.make_key``), or all of
    them for None. What a script runs on the server is not sent, and not counted."""
    client = cache._cache.get_client(write=True)
    keys, sentinel = list(redis_keys or [""]), f"end-{uuid.uuid4().hex}"
    database = int(client.connection_pool.connection_kwargs.get("db", 0))
    sent = []
    with client.monitor() as monitor:
        action()
        client.echo(sentinel)
        while sentinel not in (command := monitor.next_command())["command"]:
            name = command["command"].split()[0]
            if name in _OPENING or command["client_type"] == "lua" or command["db"] != database:
                continue  # another test process has a database of its own on the server
            if any(k in command["command"] for k in keys):
                sent.append(name)
    return sent
