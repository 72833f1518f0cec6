"""System checks (``manage.py check``) for what the settings alone cannot tell: whether the
services they name answer. Registered in CoreConfig.ready; app processes run no checks, so no
request waits on these."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

REDIS_TIMEOUT_SECONDS = 2


def redis_answers(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """One PING to REDIS_URL, when it is set: a Redis that does not answer makes every page a
    500, so say so before the site is started."""
    if not settings.REDIS_URL:
        return []
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    client = redis.Redis.from_url(
        settings.REDIS_URL,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
        retry=Retry(NoBackoff(), 0),  # one PING, not redis-py's retries with backoff
    )
    try:
        client.ping()
    except redis.RedisError as exc:
        # redis-py's message names the host and port, never the password the URL may hold.
        return [
            checks.Error(
                f"REDIS_URL: Redis did not answer a PING ({exc}).",
                hint="Start Redis, or correct REDIS_URL. Left empty, each process keeps its "
                "own cache and rate limits in memory (one app process only).",
                id="core.E001",
            )
        ]
    finally:
        client.close()
    return []
