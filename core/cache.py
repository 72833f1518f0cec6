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

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property

_clients: dict[tuple, RedisCacheClient] = {}
_lock = threading.Lock()


# Django's incr asks EXISTS, then INCRBY: two round trips for every rate-limit hit (a comment
# POST made six). The same two steps as one script on the server: one round trip, and atomic.
_INCR_IF_PRESENT = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  return redis.call('INCRBY', KEYS[1], ARGV[1])
end
return false
"""


_INCR_EACH_IF_PRESENT = """
local found = {}
for i, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then
    found[i] = redis.call('INCRBY', key, ARGV[1])
  else
    found[i] = false
  end
end
return found
"""


class SharedRedisCacheClient(RedisCacheClient):
    def incr(self, key, delta):
        """Add ``delta`` to the number at ``key``; ValueError when there is none (as Django's)."""
        client = self.get_client(key, write=True)
        value = self._incr_script(keys=[key], args=[delta], client=client)
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return value

    def incr_existing(self, keys, delta):
        """``incr`` of each key that exists, in one round trip: the new numbers, None for a key
        that is missing (nothing is made)."""
        if not keys:
            return []
        client = self.get_client(keys[0], write=True)
        return self._incr_each_script(keys=keys, args=[delta], client=client)

    @cached_property
    def _incr_each_script(self):
        # A script, not a pipeline: redis-py's pipeline asks whether its scripts exist (a round
        # trip of its own) every time it runs.
        return self.get_client(write=True).register_script(_INCR_EACH_IF_PRESENT)

    @cached_property
    def _incr_script(self):
        # redis-py sends the script's digest (EVALSHA), and the script itself only when the
        # server has not seen it yet (after a restart, say).
        return self.get_client(write=True).register_script(_INCR_IF_PRESENT)

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._redis_clients.get(id(pool))
        if client is None:
            client = self._redis_clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client

    @cached_property
    def _redis_clients(self) -> dict[int, object]:
        return {}

    def stored(self, value) -> bytes | int:
        """``value`` as this client writes it to Redis (Django's serializer: a number as its
        digits, anything else pickled), for a script that sets a cache key itself."""
        return self._serializer.dumps(value)


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


def incr_existing(keys: list[str], delta: int = 1, *, alias: str = "default") -> list[int | None]:
    """Add ``delta`` to each of ``keys`` in the cache ``alias`` that holds a number: the new
    numbers, or None for a key that is missing. On Redis (``SharedRedisCache``) one round trip
    for them all."""
    backend = caches[alias]
    if isinstance(backend, SharedRedisCache):
        made = [backend.make_and_validate_key(key) for key in keys]
        return backend._cache.incr_existing(made, delta)
    found: list[int | None] = []
    for key in keys:
        try:
            found.append(backend.incr(key, delta))
        except ValueError:
            found.append(None)
    return found


def redis_entries(entries: dict[str, object], *, url: str, alias: str = "default") -> dict | None:
    """``entries`` (cache key: value) as the cache ``alias`` would store them with ``set_many``
    and no expiry: the Redis key and the stored value of each. None unless that cache is the
    Redis server at ``url`` (``SharedRedisCache``), which is when a caller may set them there
    itself, in a round trip it makes anyway; otherwise it sets them with the cache's own calls."""
    backend = caches[alias]
    if not isinstance(backend, SharedRedisCache) or list(backend._servers) != [url]:
        return None
    return {
        backend.make_and_validate_key(key): backend._cache.stored(value)
        for key, value in entries.items()
    }
