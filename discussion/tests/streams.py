"""Drive the live stream through the production ASGI application, as a reader's browser would."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


async def open_stream(
    thread_id: int | None,
    *,
    path: str = "",
    leave_when: Callable[[list[dict]], bool],
    query_string: bytes = b"",
    cookie: str = "",
    timeout: float = 10,
    on_send: Callable[[dict], None] | None = None,
    root_path: str = "",
) -> list[dict]:
    """Open ``/discussion/threads/<id>/events/``; the reader leaves once ``leave_when(sent)`` holds.

    Returns every ASGI message the application sent. The application must return by itself
    once the reader has left, within ``timeout`` seconds. ``on_send`` is called with each message
    as the application sends it, before the application goes on. Its checks run on threads of their
    own, so the rows it reads must be committed (a transactional test). ``root_path`` is the prefix
    a site served under one is mounted at, as Granian's --url-path-prefix gives it. ``path``, with
    no ``thread_id``, opens another stream the application serves (a named feed's).
    """
    from broadsheet.asgi import application

    sent: list[dict] = []

    async def receive():
        while not leave_when(sent):
            await asyncio.sleep(0.01)
        return {"type": "http.disconnect"}

    async def send(message):
        if on_send is not None:
            on_send(message)
        sent.append(message)

    headers = [(b"host", b"localhost")]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    scope = {
        "type": "http",
        "method": "GET",
        "path": root_path + (path or f"/discussion/threads/{thread_id}/events/"),
        "root_path": root_path,
        "query_string": query_string,
        "headers": headers,
    }
    async with asyncio.timeout(timeout):
        await application(scope, receive, send)
    return sent
