"""An ASGI application whose ``/hold`` requests stay open, as a live stream does, for the app
server's capacity test (core/tests/test_app_server.py); anything else is answered at once."""

import asyncio


async def application(scope, receive, send):
    await send(
        {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"4")]}
    )
    if scope["path"] == "/hold":
        await asyncio.sleep(60)
    await send({"type": "http.response.body", "body": b"done"})
