"""Django's Redis cache backend, with one Redis client per process instead of one per request.

Under ASGI, Django gives every request (every asyncio task) its own cache backend object, and
the stock backend builds its own Redis client, connection pool and connection for each: a new
TCP connection per request, which profiling showed was most of a cache hit's time. This
subclass keeps one client per server list and options for the whole process; redis-py's pool
is thread-safe, so every request and thread shares its connections. It also keeps the
``redis.Redis`` object for each pool, which Django would otherwise build for every command.

**When Redis does not answer** (stopped, restarting, or out of reach), the site goes on being
read: a lookup is a miss and a write to the cache is skipped, so pages and the API are drawn
from the database, uncached, instead of every request failing with a 500. Counting (the rate
limits' ``incr``) raises instead: a write that cannot be counted is refused, not let through
unlimited. After a failure the process leaves Redis alone for ``QUIET_SECONDS`` rather than
making every request wait on it, and it logs a warning at most once a minute. Each call waits at
most ``TIMEOUT_SECONDS`` to connect and for an answer, and is tried once more on a new
connection (after a restart the pooled ones are dead); without a timeout, a Redis that had gone
silent (a network partition) held requests for good.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)

_clients: dict[tuple, RedisCacheClient] = {}
_lock = threading.Lock()

TIMEOUT_SECONDS = 1.0
QUIET_SECONDS = 5.0
_WARN_EVERY_SECONDS = 60.0
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


class RedisUnreachable(RedisConnectionError):
    """Redis did not answer a moment ago, so this process has not asked it again yet."""


def client_options() -> dict:
    """Connection options for every Redis client the app's requests use (the cache, the live
    events' publisher): bounded waits, and one more try on a fresh connection."""
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return {
        "socket_connect_timeout": TIMEOUT_SECONDS,
        "socket_timeout": TIMEOUT_SECONDS,
        "retry": Retry(NoBackoff(), 1),
    }


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


_quiet_until = 0.0
_warned_at = -_WARN_EVERY_SECONDS


def skipping() -> bool:
    """Whether Redis failed to answer this process less than ``QUIET_SECONDS`` ago, so that
    callers leave it alone for now (the cache, and the live events' publisher)."""
    return time.monotonic() < _quiet_until


def unreachable(error: Exception) -> None:
    """Note that Redis did not answer (``error``): skipped for ``QUIET_SECONDS``, and the
    operator warned, at most once a minute."""
    global _quiet_until, _warned_at
    now = time.monotonic()
    _quiet_until = now + QUIET_SECONDS
    if now - _warned_at >= _WARN_EVERY_SECONDS:
        _warned_at = now
        log.warning(
            "Redis (REDIS_URL) is not answering (%s): pages are drawn without the cache, live "
            "updates wait, and writes that count against a rate limit are refused, until it "
            "answers again",
            error,
        )


class SharedRedisCacheClient(RedisCacheClient):
    def __init__(self, servers, **options) -> None:
        super().__init__(servers, **{**client_options(), **options})

    # --- when Redis does not answer: a miss, or nothing written --------------------------------

    def _forgiving(self, method, fallback, *args):
        if skipping():
            return fallback
        try:
            return method(*args)
        except UNREACHABLE as error:
            unreachable(error)
            return fallback

    def get(self, key, default):
        return self._forgiving(super().get, default, key, default)

    def get_many(self, keys):
        return self._forgiving(super().get_many, {}, keys)

    def has_key(self, key):
        return self._forgiving(super().has_key, False, key)

    def set(self, key, value, timeout):
        return self._forgiving(super().set, None, key, value, timeout)

    def add(self, key, value, timeout):
        return self._forgiving(super().add, False, key, value, timeout)

    def set_many(self, data, timeout):
        """True once Redis holds them all; False when it did not answer (none were set)."""
        return self._forgiving(self._set_many, False, data, timeout)

    def _set_many(self, data, timeout):
        super().set_many(data, timeout)
        return True

    def touch(self, key, timeout):
        return self._forgiving(super().touch, False, key, timeout)

    def delete(self, key):
        return self._forgiving(super().delete, False, key)

    def delete_many(self, keys):
        return self._forgiving(super().delete_many, None, keys)

    def _count(self, script, keys, delta):
        if skipping():
            raise RedisUnreachable("Redis did not answer a moment ago")
        try:
            return script(keys=keys, args=[delta], client=self.get_client(keys[0], write=True))
        except UNREACHABLE as error:
            unreachable(error)
            raise

    # --- counting ----------------------------------------------------------------------------

    def incr(self, key, delta):
        """Add ``delta`` to the number at ``key``; ValueError when there is none (as Django's).
        Raises when Redis does not answer: a count is never guessed."""
        value = self._count(self._incr_script, [key], delta)
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return value

    def incr_existing(self, keys, delta):
        """``incr`` of each key that exists, in one round trip: the new numbers, None for a key
        that is missing (nothing is made)."""
        if not keys:
            return []
        return self._count(self._incr_each_script, keys, delta)

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

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        """As Django's, but it answers what its contract promises: the keys that were not set
        (all of them when Redis did not answer; Django's Redis backend answers none, always)."""
        if not data:
            return []
        stored = {self.make_and_validate_key(key, version=version): v for key, v in data.items()}
        if self._cache.set_many(stored, self.get_backend_timeout(timeout)):
            return []
        return list(data)

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


def write_through(key: str, value, *, seconds: int, alias: str = "default") -> None:
    """Set ``key`` in the cache ``alias``, raising when Redis does not answer: for the health
    check, which must say so, where the cache's own calls let it pass (above)."""
    backend = caches[alias]
    if isinstance(backend, SharedRedisCache):
        made = backend.make_and_validate_key(key)
        client = backend._cache
        client.get_client(made, write=True).set(made, client.stored(value), ex=seconds)
    else:
        backend.set(key, value, timeout=seconds)
