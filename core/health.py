"""``/healthz``: whether this app process can serve, for a load balancer or an uptime monitor.

``200 ok`` once one trivial database query (``SELECT 1``) and one cache round trip (a short-lived
key written to the default cache: Redis with ``REDIS_URL``) have both worked; ``503`` naming
which failed (``database failed``, ``cache failed``), with the error in the log. Nothing else is
read: no page, no template, no session.

An ASGI layer in front of everything else (``broadsheet.asgi``), as the live streams are: the
page cache never keeps its answer and no rate limit counts it, and it answers whatever the Host
header (a load balancer probes each machine by its own address, which is not in
``ALLOWED_HOSTS``) and over plain HTTP under ``SECURE_SSL_REDIRECT``. Its answer says nothing a
Host header could change. The checks run on a worker thread, off the event loop; probes that
arrive while one runs wait for its answer rather than starting more, so a database that hangs
ties up one thread however often the load balancer asks.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from typing import Any

from asgiref.sync import sync_to_async

from core.mounted import site_path

log = logging.getLogger(__name__)

PATH = "/healthz"
_CACHE_KEY = "healthz"
_HEADERS = [
    (b"content-type", b"text/plain; charset=utf-8"),
    (b"cache-control", b"no-store"),
]


def _database() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    from core.cache import write_through

    # A write: a Redis that answers but refuses writes (out of memory, a read-only replica)
    # refuses rate-limit counts and page-cache tokens too. Not the cache's own set, which lets
    # a Redis that does not answer pass (core.cache): this check is how an operator hears of it.
    write_through(_CACHE_KEY, secrets.token_hex(4), seconds=60)


_CHECKS = (("database", "DATABASE_URL", _database), ("cache", "REDIS_URL", _cache))


def failures() -> list[str]:
    """The checks that failed, by name, in order (none: healthy). Run on a worker thread."""
    from django.db import close_old_connections, connections

    failed = []
    try:
        for name, setting, check in _CHECKS:
            try:
                check()
            except Exception as error:  # whatever broke, the answer is "not healthy"
                log.warning("Health check: the %s (%s) failed: %r", name, setting, error)
                failed.append(name)
    finally:
        # The thread holds no connection between probes (back to the pool on PostgreSQL).
        connections.close_all()
        close_old_connections()
    return failed


class HealthCheck:
    """ASGI middleware: answer ``GET``/``HEAD /healthz``; pass everything else to ``app``."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self._probe: asyncio.Future | None = None

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or site_path(scope) != PATH:
            await self.app(scope, receive, send)
            return
        if scope["method"] not in ("GET", "HEAD"):
            await self._answer(send, 405, b"GET or HEAD\n", [(b"allow", b"GET, HEAD")])
            return
        failed = await self._failures()
        if failed:
            body = f"{' and '.join(failed)} failed\n".encode()
            await self._answer(send, 503, body, head=scope["method"] == "HEAD")
        else:
            await self._answer(send, 200, b"ok\n", head=scope["method"] == "HEAD")

    async def _failures(self) -> list[str]:
        if self._probe is None:
            probe = asyncio.ensure_future(sync_to_async(failures, thread_sensitive=False)())
            self._probe = probe
            probe.add_done_callback(lambda _done: setattr(self, "_probe", None))
        # Shielded: a prober that hangs up does not cancel the answer others are waiting for.
        return list(await asyncio.shield(self._probe))

    @staticmethod
    async def _answer(
        send: Any,
        status: int,
        body: bytes,
        extra: list[tuple[bytes, bytes]] = (),
        *,
        head: bool = False,
    ) -> None:
        headers = [*_HEADERS, *extra, (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if head else body})
