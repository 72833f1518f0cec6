"""What a Redis client of ours sent the server while something ran, read with MONITOR."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable

from django.core.cache import cache


def commands_naming(redis_keys: Iterable[str], action: Callable[[], object]) -> list[str]:
    """The commands any client sent the server while ``action`` ran, naming one of
    ``redis_keys`` (as Redis knows them: the cache's keys with ``cache.make_key``). What a script
    runs on the server is not sent, and not counted."""
    client = cache._cache.get_client(write=True)
    keys, sentinel = list(redis_keys), f"end-{uuid.uuid4().hex}"
    sent = []
    with client.monitor() as monitor:
        action()
        client.echo(sentinel)
        while sentinel not in (command := monitor.next_command())["command"]:
            if command["client_type"] != "lua" and any(k in command["command"] for k in keys):
                sent.append(command["command"].split()[0])
    return sent
