"""The anonymous page cache: whole responses for readers with no identity, invalidated by versions.

A reader with no session, no guest cookie and no pending message sees exactly what every other
such reader sees, except for two per-request values: the CSRF token and the comment form's
idempotency key. So a view that opts in renders those as placeholders, and this module's ASGI
layer (:class:`AnonymousPageCache`, wrapped around Django in ``broadsheet.asgi``) stores the
response and fills the placeholders per request, on the miss that rendered it and on every hit.
A hit is answered before Django runs: two cache reads, a token and a string replacement.

Freshness comes from version tokens ("bump a version to invalidate"), not from deleting entries:
the view reads the tokens its response depends on (``site`` for anything editors publish, and
``page:<id>`` for a page's discussion) *before* it reads the database, and the layer stores them
with the entry. A hit is served only while every token still has the value it had then. Writers
call :func:`bump` after their transaction commits, so a response rendered from older rows can
never be stored under a newer token. Entries also expire after ``PAGE_CACHE_SECONDS``.

Signed-in readers, staff and guests who have commented carry a cookie this layer recognises, and
always get a page Django renders for them.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
import secrets
import uuid
from collections.abc import Iterable
from http.cookies import SimpleCookie
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

SCOPE_FLAG = "broadsheet.page_cache"
DEPS_HEADER = "x-broadsheet-cache-deps"
_TOKEN_PREFIX = "pagecache:token:"  # noqa: S105  (a cache key prefix, not a secret)
_ENTRY_PREFIX = "pagecache:entry:"
_CSRF_SECRET = re.compile(r"^[A-Za-z0-9]{32}$")
_MAX_BODY = 4 * 1024 * 1024  # a bigger response is personalised and sent, never stored


def _placeholder(name: str) -> str:
    # Derived from SECRET_KEY, so a reader cannot type one into a comment and have it filled in,
    # yet the same in every app process, so a page stored by one is served right by another.
    digest = hmac.new(settings.SECRET_KEY.encode(), name.encode(), hashlib.sha256).hexdigest()
    return f"bspc{digest[:28]}"


def csrf_placeholder() -> str:
    return _placeholder("csrf")


def idempotency_placeholder() -> str:
    return _placeholder("idempotency")


def enabled() -> bool:
    return settings.PAGE_CACHE_SECONDS > 0


def is_candidate(request: HttpRequest) -> bool:
    """True when the layer will store this response if the view opts in (an anonymous GET)."""
    scope = getattr(request, "scope", None)
    return bool(scope and scope.get(SCOPE_FLAG)) and enabled()


def token_key(name: str) -> str:
    return f"{_TOKEN_PREFIX}{name}"


def tokens(names: Iterable[str]) -> dict[str, str]:
    """The current value of each version token, creating any that is missing.

    Read these *before* reading the rows the response is built from.
    """
    names = list(names)
    found = cache.get_many([token_key(name) for name in names])
    values = {}
    for name in names:
        value = found.get(token_key(name))
        if value is None:
            fresh = secrets.token_hex(8)
            cache.add(token_key(name), fresh, timeout=None)
            value = cache.get(token_key(name), fresh)
        values[name] = value
    return values


def bump(*names: str) -> None:
    """Invalidate every stored response that depends on one of ``names``.

    Call it after the write has committed (``transaction.on_commit``).
    """
    cache.set_many({token_key(name): secrets.token_hex(8) for name in names}, timeout=None)


def page_token(page_id: int) -> str:
    return f"page:{page_id}"


def thread_token(thread_id: int) -> str:
    return f"thread:{thread_id}"


def mark(response: HttpResponse, deps: dict[str, str]) -> HttpResponse:
    """Let the layer store ``response``: it depends on exactly these token values."""
    response[DEPS_HEADER] = " ".join(f"{name}={value}" for name, value in deps.items())
    return response


# --- The ASGI layer ------------------------------------------------------------------------


def _identity_cookie(name: str) -> bool:
    return name in (settings.SESSION_COOKIE_NAME, "messages") or name.startswith("broadsheet_")


def _cookies(scope: dict[str, Any]) -> dict[str, str]:
    raw = b"; ".join(value for key, value in scope.get("headers", ()) if key == b"cookie")
    if not raw:
        return {}
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw.decode("latin-1"))
    except Exception:  # a malformed Cookie header: let Django deal with it
        return {"": ""}
    return {name: morsel.value for name, morsel in jar.items()}


def _header(scope: dict[str, Any], name: bytes) -> bytes:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value
    return b""


def _entry_key(scope: dict[str, Any]) -> str:
    raw = b"\n".join(
        (
            _header(scope, b"host"),
            # htmx asks the same URL for a fragment that a plain browser gets as a page.
            _header(scope, b"hx-request"),
            scope.get("path", "").encode("utf-8", "surrogateescape"),
            scope.get("query_string", b""),
        )
    )
    return _ENTRY_PREFIX + hashlib.sha256(raw).hexdigest()


class _FakeRequest:
    """Just enough of a request for ``django.middleware.csrf.get_token``."""

    def __init__(self, secret: str | None) -> None:
        self.META: dict[str, Any] = {} if secret is None else {"CSRF_COOKIE": secret}


def _csrf_cookie_header(secret: str) -> tuple[bytes, bytes]:
    response = HttpResponse()
    response.set_cookie(
        settings.CSRF_COOKIE_NAME,
        secret,
        max_age=settings.CSRF_COOKIE_AGE,
        domain=settings.CSRF_COOKIE_DOMAIN,
        path=settings.CSRF_COOKIE_PATH,
        secure=settings.CSRF_COOKIE_SECURE,
        httponly=settings.CSRF_COOKIE_HTTPONLY,
        samesite=settings.CSRF_COOKIE_SAMESITE,
    )
    morsel = response.cookies[settings.CSRF_COOKIE_NAME]
    return b"set-cookie", morsel.OutputString().encode("latin-1")


def _personalise(body: bytes, cookies: dict[str, str]) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    """Fill the placeholders for this reader; the headers to add (the CSRF cookie, if new).

    A response without forms (the API's JSON) has no placeholder and costs nothing here.
    """
    extra = []
    csrf = _placeholder_bytes("csrf")
    if csrf in body:
        secret = cookies.get(settings.CSRF_COOKIE_NAME, "")
        fake = _FakeRequest(secret if _CSRF_SECRET.match(secret) else None)
        token = get_token(fake)
        if fake.META["CSRF_COOKIE"] != secret:
            extra.append(_csrf_cookie_header(fake.META["CSRF_COOKIE"]))
        body = body.replace(csrf, token.encode())
    idempotency = _placeholder_bytes("idempotency")
    if idempotency in body:
        body = body.replace(idempotency, uuid.uuid4().hex.encode())
    return body, extra


@functools.cache
def _placeholder_bytes(name: str) -> bytes:
    return _placeholder(name).encode()


def _parse_deps(value: bytes) -> dict[str, str]:
    deps = {}
    for part in value.decode("latin-1").split():
        name, _, token = part.partition("=")
        deps[name] = token
    return deps


def _skip_path(path: str) -> bool:
    return path.startswith((settings.STATIC_URL, settings.MEDIA_URL, "/admin/", "/django-admin/"))


class AnonymousPageCache:
    """ASGI middleware: answer anonymous GETs from the cache, store what views mark cacheable."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or not enabled()
            or _skip_path(scope.get("path", ""))
        ):
            await self.app(scope, receive, send)
            return
        cookies = _cookies(scope)
        if any(_identity_cookie(name) for name in cookies) or "" in cookies:
            await self.app(scope, receive, send)
            return
        key = _entry_key(scope)
        # The cache calls are synchronous on purpose: a local Redis or the in-process cache
        # answers in well under a millisecond, less than a hop to a thread would cost.
        entry = cache.get(key)
        if entry is not None:
            deps = entry["deps"]
            current = cache.get_many([token_key(name) for name in deps])
            if all(current.get(token_key(name)) == value for name, value in deps.items()):
                await self._send(
                    send, entry["status"], entry["headers"], entry["body"], cookies, b"hit"
                )
                return
        await self._render(scope, receive, send, key, cookies)

    async def _render(self, scope, receive, send, key: str, cookies: dict[str, str]) -> None:
        scope = {**scope, SCOPE_FLAG: True}
        start: dict[str, Any] = {}
        chunks: list[bytes] = []
        passing = False

        async def capture(message: dict[str, Any]) -> None:
            nonlocal passing
            if passing:
                await send(message)
                return
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                if message["status"] != 200 or not any(
                    k.lower() == DEPS_HEADER.encode() for k, _ in headers
                ):
                    passing = True
                    await send(message)
                    return
                start.update(message)
                return
            if message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body"):
                    await self._store_and_send(send, key, start, b"".join(chunks), cookies)
                return
            await send(message)

        await self.app(scope, receive, capture)

    async def _store_and_send(
        self, send, key: str, start: dict[str, Any], body: bytes, cookies
    ) -> None:
        deps: dict[str, str] = {}
        headers = []
        for name, value in start.get("headers", []):
            name = name.lower()  # Django sends names as set ("Content-Length"); ASGI allows it
            if name == DEPS_HEADER.encode():
                deps = _parse_deps(value)
            elif name in (b"set-cookie", b"content-length"):
                continue  # per reader, or recomputed after the placeholders are filled
            else:
                headers.append((name, value))
        if len(body) <= _MAX_BODY:
            entry = {"status": start["status"], "headers": headers, "body": body, "deps": deps}
            cache.set(key, entry, timeout=settings.PAGE_CACHE_SECONDS)
        await self._send(send, start["status"], headers, body, cookies, b"miss")

    async def _send(self, send, status: int, headers, body: bytes, cookies, state: bytes) -> None:
        body, extra = _personalise(body, cookies)
        out = [
            *headers,
            *extra,
            (b"content-length", str(len(body)).encode()),
            (b"x-cache", state),
        ]
        await send({"type": "http.response.start", "status": status, "headers": out})
        await send({"type": "http.response.body", "body": body, "more_body": False})
