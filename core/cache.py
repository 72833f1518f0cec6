"""Django's Redis cache backend, with one Redis client per process instead of one per request.

Under ASGI, Django gives every request (every asyncio task) its own cache backend object, and
the stock backend builds its own Redis client, connection pool and connection for each: a new
TCP connection per request, which profiling showed was most of a cache hit's time. This
subclass keeps one client per server list and options for the whole process; redis-py's pool
is thread-safe, so every request and thread shares its connections. It also keeps the
``redis.Redis`` object for each pool, which Django would otherwise build for every command.
"""

from __future__ import annotations

import threading

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property

_clients: dict[tuple, RedisCacheClient] = {}
_lock = threading.Lock()


class SharedRedisCacheClient(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._redis_clients.get(id(pool))
        if client is None:
            client = self._redis_clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client

    @cached_property
    def _redis_clients(self) -> dict[int, object]:
        return {}


class SharedRedisCache(RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = SharedRedisCacheClient

    @cached_property
    def _cache(self) -> RedisCacheClient:
        key = (tuple(self._servers), repr(sorted(self._options.items())))
        with _lock:
            client = _clients.get(key)
            if client is None:
                client = _clients[key] = self._class(self._servers, **self._options)
        return client
