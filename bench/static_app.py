"""The server's own ceiling: a trivial ASGI app that answers with bytes read once at start-up.

``make bench`` runs it under the same Granian command as Broadsheet, serving the very bytes
Broadsheet served (``/article.html``, ``/api.json`` from ``BENCH_STATIC_DIR``), so the table can
say how much of the server's own speed the page cache layer leaves on the table.
"""

from __future__ import annotations

import os
from pathlib import Path

_TYPES = {".html": b"text/html; charset=utf-8", ".json": b"application/json"}
_FILES = {
    f"/{path.name}": (
        path.read_bytes(),
        [(b"content-type", _TYPES.get(path.suffix, b"application/octet-stream"))],
    )
    for path in Path(os.environ.get("BENCH_STATIC_DIR", ".")).iterdir()
    if path.is_file()
}


async def app(scope, receive, send) -> None:
    if scope["type"] != "http":
        return
    found = _FILES.get(scope["path"])
    body, headers = found if found else (b"not found", [])
    await send(
        {
            "type": "http.response.start",
            "status": 200 if found else 404,
            "headers": [*headers, (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
