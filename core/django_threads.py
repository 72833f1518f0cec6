"""Django under the ASGI server, as a WSGI application on ``APP_THREADS`` threads per process.

The ASGI layers in front (the live streams, the page cache) need an ASGI server; the views behind
them are all synchronous. Django's ASGI handler runs each request in a thread of its own and
crosses between the event loop and threads several times per request; under load on two cores
that cost more than the views themselves. ``asgiref.wsgi.WsgiToAsgi`` (the adapter Django's own
asgiref ships) crosses once and runs the WSGI handler on a thread from a fixed pool.

Measured on the bench database with 2 Granian workers and 16 connections (wrk), the two
entry points alternated twice: a trivial uncached view went from about 530 to 2,460 answers/s,
the uncached API page from 274 to 457 (p99 182 to 68 ms) and comment POSTs from 93 to 123.

``APP_THREADS=1`` runs every request of the process on one thread (asgiref's thread-sensitive
mode: under ``async_to_sync``, as in tests, that is the caller's thread). More threads let a
request that waits (on the database, a slow upload) not hold up the next one.
"""

from __future__ import annotations

import functools
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import SyncToAsync
from asgiref.wsgi import WsgiToAsgi, WsgiToAsgiInstance
from django.conf import settings

_RUN = WsgiToAsgiInstance.__dict__["run_wsgi_app"].func  # the WSGI call, undecorated


@functools.cache
def _pool(threads: int) -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=threads, thread_name_prefix="django")


def _instance_class(threads: int) -> type[WsgiToAsgiInstance]:
    if threads <= 1:
        return WsgiToAsgiInstance  # asgiref's own: thread-sensitive, one thread
    return _pooled_class(threads)


@functools.cache
def _pooled_class(threads: int) -> type[WsgiToAsgiInstance]:
    return type(
        "PooledWsgiInstance",
        (WsgiToAsgiInstance,),
        {"run_wsgi_app": SyncToAsync(_RUN, thread_sensitive=False, executor=_pool(threads))},
    )


class DjangoOnThreads(WsgiToAsgi):
    """``WsgiToAsgi`` with the WSGI handler run on this process's pool of ``APP_THREADS``."""

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        async def send_message(message: dict[str, Any]) -> None:
            # A coroutine function, as asgiref expects of what it calls from the thread (the
            # server's own ``send`` is a plain callable returning an awaitable).
            await send(message)

        instance = _instance_class(settings.APP_THREADS)(self.wsgi_application)
        await instance(scope, receive, send_message)
