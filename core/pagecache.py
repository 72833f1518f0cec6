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

Each app process also keeps the entries it served most recently in memory
(``PAGE_CACHE_LOCAL_MB``), with their placeholders already located, and trusts the token values
it last saw for ``PAGE_CACHE_LOCAL_MAX_STALE_MS``: a hit then touches neither Redis nor a copy of
the body it does not need. A write in this process updates its own tokens at once; a write in
another process reaches this one's answers within that time. With the embedded in-process
cache, other processes (the scheduler publishing at go-live time, a management command) cannot
reach the server's memory, so their bumps also rewrite a small file in ``VAR_DIR`` that the
serving process looks at on the same schedule; a change there retires every token it holds.

A write makes every anonymous reader of the page miss at once, and under a steady stream of new
comments the page would be rendered by each reader who arrives while it is being rendered (a
10,000-comment thread's first page takes about a tenth of a second). So the request that finds the
copy stale renders it, and while it does, the process's other anonymous readers of that page get
the copy from just before the write (``X-Cache: stale``) for up to ``PAGE_CACHE_GRACE_SECONDS``:
what they would have seen had they come a moment earlier. If that render keeps nothing (the page
was withdrawn, or failed) the old copy is dropped at once. With several app processes each renders
the page once per write.

Signed-in readers, staff and guests who have commented carry a cookie this layer recognises, and
always get a page Django renders for them: nobody is shown a copy from before their own write.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import hmac
import logging
import re
import secrets
import struct
import threading
import time
import zlib
from collections.abc import Callable, Iterable
from typing import Any

from cachetools import LRUCache
from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.http import HttpRequest, HttpResponse
from django.http.cookie import parse_cookie
from django.http.request import split_domain_port
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
)
from django.utils.http import parse_http_date

from core.cache import UNREACHABLE, redis_entries, skipping

log = logging.getLogger(__name__)

DEPS_HEADER = "x-broadsheet-cache-deps"
_TOKEN_PREFIX = "pagecache:token:"  # noqa: S105  (a cache key prefix, not a secret)
_ENTRY_PREFIX = "pagecache:entry:"
_CSRF_SECRET = re.compile(r"^[A-Za-z0-9]{32}$")
_FLAG_HEADER = b"x-broadsheet-page-cache"
_FLAG_META = "HTTP_X_BROADSHEET_PAGE_CACHE"
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


def fill_csrf_placeholder(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Put this reader's CSRF token where a page drawn for them holds the placeholder.

    For a page drawn with the placeholder but not kept by the layer (a signed-in reader's), so
    that the parts of it drawn once for everyone can be reused; a TemplateResponse's
    post-render callback.
    """
    from django.middleware.csrf import get_token

    response.content = response.content.replace(
        _placeholder_bytes("csrf"), get_token(request).encode()
    )
    return response


class _Conf:
    """The settings the layer reads on every request, read once.

    A hit is a few microseconds of work, and each ``settings.X`` costs a lookup through Django's
    lazy settings object; the snapshot is dropped whenever a setting changes (tests do).
    """

    __slots__ = (
        "seconds",
        "trust",
        "grace",
        "skip",
        "shared",
        "identity",
        "gzip_level",
        "hosts",
        "https_only",
        "proto_header",
    )

    def __init__(self) -> None:
        self.seconds = settings.PAGE_CACHE_SECONDS
        self.grace = settings.PAGE_CACHE_GRACE_SECONDS
        self.trust = settings.PAGE_CACHE_LOCAL_MAX_STALE_MS / 1000
        self.skip = (settings.STATIC_URL, settings.MEDIA_URL, "/admin/", "/django-admin/")
        # Whether the cache is one every process reaches (Redis), not this process's memory.
        self.shared = not settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
        self.identity = (settings.SESSION_COOKIE_NAME, "messages")
        self.gzip_level = settings.PAGE_CACHE_GZIP_LEVEL
        allowed = settings.ALLOWED_HOSTS
        if settings.DEBUG and not allowed:
            allowed = [".localhost", "127.0.0.1", "[::1]"]  # as Django's get_host allows then
        self.hosts = _AllowedHosts(allowed)
        # Under SECURE_SSL_REDIRECT Django answers a plain-HTTP request with a redirect to HTTPS;
        # a copy is given only to a request Django would call secure (its scheme, or the proxy's
        # X-Forwarded-Proto where SECURE_PROXY_SSL_HEADER trusts it, as request.is_secure reads).
        self.https_only = settings.SECURE_SSL_REDIRECT
        proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
        self.proto_header = (
            (proxy[0].removeprefix("HTTP_").lower().replace("_", "-").encode(), proxy[1])
            if proxy
            else None
        )


class _AllowedHosts:
    """``ALLOWED_HOSTS`` as Django's ``validate_host`` reads it, checked in constant time.

    Django checks the Host header only once the request reaches it; a copy this layer answers
    from never does. So that a host taken out of ``ALLOWED_HOSTS`` (or one that was never in it)
    is never answered from a copy kept under it, the layer asks here first, and leaves any host
    Django would refuse to Django, which answers 400. Exact names go in a set and the
    ``.example.com`` patterns in a tuple for ``str.endswith``; the answers for the first few raw
    Host values seen (a site has a handful) are kept, so a hit usually costs one dict lookup.
    """

    __slots__ = ("any", "exact", "suffixes", "known")
    _KNOWN_MOST = 64  # Host values whose answer is kept; past them each is worked out afresh

    def __init__(self, patterns: Iterable[str]) -> None:
        patterns = [pattern.lower() for pattern in patterns if pattern]
        self.any = "*" in patterns
        # ".example.com" allows example.com itself and every name under it.
        self.exact = frozenset(pattern.removeprefix(".") for pattern in patterns)
        self.suffixes = tuple(pattern for pattern in patterns if pattern.startswith("."))
        self.known: dict[bytes, bool] = {}

    def allow(self, host: bytes) -> bool:
        """Whether Django would accept ``host``, a request's Host header (port and all)."""
        allowed = self.known.get(host)
        if allowed is None:
            domain, _port = split_domain_port(host.decode("latin-1"))
            allowed = bool(domain) and (
                self.any or domain in self.exact or domain.endswith(self.suffixes)
            )
            if len(self.known) < self._KNOWN_MOST:
                self.known[host] = allowed
        return allowed


_conf_now: _Conf | None = None


def _conf() -> _Conf:
    global _conf_now
    if _conf_now is None:
        _conf_now = _Conf()
    return _conf_now


def _settings_changed(**_kwargs: Any) -> None:
    global _conf_now
    _conf_now = None


setting_changed.connect(_settings_changed, dispatch_uid="core.pagecache.settings")


def enabled() -> bool:
    return _conf().seconds > 0


def is_candidate(request: HttpRequest) -> bool:
    """True when the layer will store this response if the view opts in (an anonymous GET).

    The layer says so in a request header only it can make (Django runs behind it as a WSGI
    application, core.django_threads, so the ASGI scope itself does not reach the view).
    """
    if not enabled():
        return False
    mark = request.META.get(_FLAG_META, "")
    return bool(mark) and hmac.compare_digest(mark.encode("latin-1"), _placeholder_bytes("layer"))


def token_key(name: str) -> str:
    return f"{_TOKEN_PREFIX}{_local.epoch}:{name}"


def tokens(names: Iterable[str]) -> dict[str, str]:
    """The current value of each version token, creating any that is missing.

    Read these *before* reading the rows the response is built from.
    """
    conf = _conf()
    lost_resend()
    if _local.serving and not conf.shared:
        # With the in-process cache another process's bump (the scheduler publishing at go-live
        # time) arrives through the generation file. The layer looks at it for anonymous
        # readers; views look here, so that a process answering only POSTs and signed-in
        # readers sees it too (newsroom.routing keys the pages it remembers by these tokens).
        _local.watch_other_processes(time.monotonic(), conf.trust)
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
    _local.seen(values)
    return values


def recent_token(name: str) -> str:
    """Token ``name``'s value as this process last read or set it, while that was within
    ``PAGE_CACHE_LOCAL_MAX_STALE_MS``; else read as :func:`tokens` reads it.

    For what this process keeps in memory under a token and may go on using for as long as the
    layer trusts the tokens it serves cached pages under (newsroom.routing's sites and routes):
    a write through this process is seen at once (its bump sets the value here), one through
    another process within that time. Reading the shared cache for it on every request was a
    round trip to Redis for every comment posted and every page drawn, about a tenth of a
    comment POST's time.
    """
    conf = _conf()
    if conf.shared:
        seen = _local.tokens.get(name)
        if seen is not None and time.monotonic() - seen[1] <= conf.trust:
            lost_resend()
            return seen[0]
    return tokens([name])[name]


def last_seen(name: str) -> str | None:
    """The value of token ``name`` this process last read or set, if any (no cache read)."""
    seen = _local.tokens.get(name)
    return seen[0] if seen is not None else None


def bump(*names: str, carrier: Callable[[dict], None] | None = None) -> None:
    """Invalidate every stored response that depends on one of ``names``.

    Call it after the write has committed (``transaction.on_commit``).

    ``carrier`` is for a caller about to make a round trip to the Redis server at
    ``settings.REDIS_URL`` anyway (discussion.live, sending the comment's event): when the cache
    is that server, it is handed the new tokens as Redis keys and stored values
    (core.cache.redis_entries) and sets them there in that round trip. If it raises, or the cache
    is another, the tokens are set here as usual.
    """
    lost_resend()
    values = {name: secrets.token_hex(8) for name in names}
    entries = {token_key(name): value for name, value in values.items()}
    carried = False
    if carrier is not None and settings.REDIS_URL:
        stored = redis_entries(entries, url=settings.REDIS_URL)
        if stored is not None:
            try:
                carrier(stored)
                carried = True
            except UNREACHABLE:  # said once a minute (core.cache); set_many below skips it
                pass
            except Exception:  # the tokens still go out by the cache's own path
                log.warning("page cache tokens not carried; setting them apart", exc_info=True)
    if not carried and cache.set_many(entries, timeout=None):
        _lost_keep(names)
    _local.seen(values)
    if not _local.serving and not _shared_cache():
        _generation_write()


# Bumps the shared cache missed (Redis did not answer), made again once it answers: the pages
# cached before the outage were otherwise served as current until PAGE_CACHE_SECONDS after it,
# when Redis kept them (and the old tokens) through it. Each process resends its own, on its next
# request, token read or bump (the scheduler on each pass); this process's memory had the new
# values all along.
_lost: set[str] = set()
_lost_lock = threading.Lock()


def _lost_keep(names: Iterable[str]) -> None:
    with _lost_lock:
        _lost.update(names)


def lost_resend() -> None:
    """Bump again what Redis missed, if it answers now; costs nothing when it missed nothing."""
    if not _lost or skipping():
        return
    with _lost_lock:
        names = list(_lost)
        _lost.clear()
    if not names:
        return
    values = {name: secrets.token_hex(8) for name in names}
    if cache.set_many({token_key(name): value for name, value in values.items()}, timeout=None):
        _lost_keep(names)  # not yet: the next request tries again
        return
    _local.seen(values)
    log.info("page cache: %d version token(s) missed while Redis was away, bumped", len(names))


def _shared_cache() -> bool:
    """Whether the cache is one every process reaches (Redis), not this process's memory."""
    return _conf().shared


def _generation_path():
    return settings.VAR_DIR / "pagecache.generation"


def _generation_write() -> None:
    path = _generation_path()
    temporary = path.with_name(f"{path.name}.{secrets.token_hex(4)}")
    try:
        temporary.write_text(secrets.token_hex(8))
        temporary.replace(path)  # atomic: a reader sees the old value or the new one
    except OSError:  # a read-only VAR_DIR: cached pages then age out after PAGE_CACHE_SECONDS
        temporary.unlink(missing_ok=True)


def _generation_read() -> str:
    try:
        return _generation_path().read_text()
    except OSError:
        return ""


def local_clear() -> None:
    """Forget this process's copies (entries and token values); the shared cache is untouched."""
    _local.clear()


def page_token(page_id: int) -> str:
    return f"page:{page_id}"


def thread_token(thread_id: int) -> str:
    return f"thread:{thread_id}"


def mark(response: HttpResponse, deps: dict[str, str]) -> HttpResponse:
    """Let the layer store ``response``: it depends on exactly these token values."""
    response[DEPS_HEADER] = " ".join(f"{name}={value}" for name, value in deps.items())
    return response


# --- This process's copies ------------------------------------------------------------------


class _Entry:
    """A stored response with its placeholders located, so serving it copies the body once."""

    __slots__ = (
        "status",
        "headers",
        "parts",
        "slots",
        "idempotency_at",
        "deps",
        "expires",
        "size",
        "fixed_headers",
        "gzip",
        "gzip_fixed",
        "length",
        "part_crcs",
        "etag",
        "not_modified_headers",
        "last_modified",
    )

    def __init__(self, stored: dict[str, Any]) -> None:
        self.status = stored["status"]
        self.headers = stored["headers"]
        self.deps = stored["deps"]
        self.expires = stored.get("stored_at", time.time()) + settings.PAGE_CACHE_SECONDS
        self.parts, self.slots = _split(stored["body"])
        # Where the idempotency key goes among the filled values; every other slot is the CSRF
        # token, so a hit fills them with one list repeat instead of a loop over each form.
        self.idempotency_at = [i for i, slot in enumerate(self.slots) if slot == "idempotency"]
        self.length = len(stored["body"]) - sum(len(_placeholder_bytes(n)) for n in self.slots)
        # The parts as gzip's deflate segments, made once when the answer was stored (None: sent
        # uncompressed to everyone).
        self.gzip: list[bytes] | None = stored.get("gzip")
        if self.gzip is not None and len(self.gzip) != len(self.parts):
            self.gzip = None
        self.size = len(stored["body"]) + sum(map(len, self.gzip or ())) + 1024
        # The same for every reader (no placeholders): a weak validator, so a client that holds
        # this answer (a feed reader, an app polling counts) is told "not modified" in a few bytes.
        # Weak, since the gzipped and the plain body carry the same one.
        self.etag = None
        self.not_modified_headers: list[tuple[bytes, bytes]] = []
        # When the view said when the answer last changed (a feed's newest item): a client that
        # asks If-Modified-Since, without an If-None-Match, is answered by that date.
        self.last_modified: int | None = None
        if not self.slots and not any(name == b"etag" for name, _ in self.headers):
            digest = hashlib.blake2b(self.parts[0], digest_size=12).hexdigest()
            self.etag = f'W/"{digest}"'.encode()
            self.headers = [*self.headers, (b"etag", self.etag)]
            kept = (b"etag", b"last-modified", b"vary", b"cache-control", b"expires")
            # And every CORS header the answer has (api.middleware.OpenToOtherSites): a
            # partner's script revalidating a read gets the 304, and without them its browser
            # would refuse it the answer, or keep the ETag (Access-Control-Expose-Headers) from
            # it.
            self.not_modified_headers = [
                (n, v) for n, v in self.headers if n in kept or n.startswith(b"access-control-")
            ]
            self.last_modified = _http_date(
                next((v for n, v in self.headers if n == b"last-modified"), b"")
            )
        # A response without placeholders (the API's JSON) goes out as stored: its headers,
        # length included, are made once here rather than on every hit.
        self.fixed_headers = (
            None
            if self.slots
            else {
                state: [
                    *self.headers,
                    (b"content-length", str(len(self.parts[0])).encode()),
                    (b"x-cache", state),
                ]
                for state in (b"hit", b"miss", b"stale")
            }
        )
        self.gzip_fixed = (
            None
            if self.slots or self.gzip is None
            else _gzip_member(self.gzip, zlib.crc32(self.parts[0]), self.length)
        )
        # For gzip's checksum on a hit: the first part's CRC, then each later part's CRC and
        # length, to be combined with the reader's values between them.
        self.part_crcs: list = (
            [zlib.crc32(self.parts[0])] + [(zlib.crc32(part), len(part)) for part in self.parts[1:]]
            if self.slots and self.gzip is not None
            else []
        )


def _split(body: bytes) -> tuple[list[bytes], list[str]]:
    """``body`` cut at every placeholder: the pieces, and which placeholder goes between them."""
    marks = {_placeholder_bytes(name): name for name in ("csrf", "idempotency")}
    pattern = re.compile(b"|".join(re.escape(mark) for mark in marks))
    parts, slots, start = [], [], 0
    for match in pattern.finditer(body):
        parts.append(body[start : match.start()])
        slots.append(marks[match.group(0)])
        start = match.end()
    parts.append(body[start:] if start else body)
    return parts, slots


# --- gzip, made once per stored answer --------------------------------------------------------

# A gzip member's header: deflate, no flags, no time, no extra flags, operating system unknown.
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
_COMPRESSIBLE = (
    b"text/",
    b"application/json",
    b"application/ld+json",
    b"application/xml",
    b"application/rss+xml",
    b"application/atom+xml",
    b"image/svg+xml",
)
_MIN_COMPRESSED = 1024  # smaller answers gain less than gzip's own 18 bytes and a header


def _compressible(headers: list[tuple[bytes, bytes]], size: int) -> bool:
    if size < _MIN_COMPRESSED:
        return False
    content_type = b""
    for name, value in headers:
        if name == b"content-encoding":
            return False
        if name == b"content-type":
            content_type = value.lower()
    return content_type.startswith(_COMPRESSIBLE)


def _deflate_segments(parts: list[bytes], level: int) -> list[bytes]:
    """Each of ``parts`` as a segment of one raw deflate stream, so the reader's values can go
    between them, at any later time, as stored blocks (:func:`_stored_block`).

    Every segment but the last ends in a full flush: it stops on a byte boundary and nothing after
    it refers back into what came before. So the values are never compressed, nor compressed
    against the page: the size of an answer says nothing about its token (BREACH).
    """
    compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    last = len(parts) - 1
    return [
        compressor.compress(part)
        + compressor.flush(zlib.Z_FINISH if i == last else zlib.Z_FULL_FLUSH)
        for i, part in enumerate(parts)
    ]


def _stored_block(value: bytes) -> bytes:
    """``value`` as a deflate block kept as it is: a header byte (not the last block, type
    "stored", the rest padding), its length and the length's complement, then the bytes."""
    return b"\x00" + struct.pack("<HH", len(value), len(value) ^ 0xFFFF) + value


# gzip's checksum (CRC-32) of the whole answer, from the parts' checksums made once and the
# reader's few values: zlib's crc32_combine (which Python's zlib does not expose), so that a hit
# does not run the checksum over the whole page again. The CRC of A+B is the CRC of A moved on
# by len(B) zero bytes, plus the CRC of B; moving on by n bytes is a multiplication by x^(8n)
# modulo the CRC's polynomial.
_CRC_POLY = 0xEDB88320


def _crc_multiply(a: int, b: int) -> int:
    """``a`` times ``b`` modulo the CRC-32 polynomial (bit-reversed, as zlib's multmodp)."""
    product = 0
    mask = 1 << 31
    while a:
        if a & mask:
            product ^= b
            a ^= mask
        mask >>= 1
        b = (b >> 1) ^ _CRC_POLY if b & 1 else b >> 1
    return product


def _crc_powers() -> list[int]:
    """x^(2^k) modulo the polynomial, for k = 0..31 (zlib's x2n_table)."""
    powers = [1 << 30]  # x^1
    for _ in range(31):
        powers.append(_crc_multiply(powers[-1], powers[-1]))
    return powers


_CRC_X2N = _crc_powers()


@functools.lru_cache(maxsize=256)
def _crc_shift(length: int) -> int:
    """The factor that moves a CRC on by ``length`` bytes: x^(8 * length)."""
    factor, k = 1 << 31, 3  # x^0; a byte is 2^3 bits
    while length:
        if length & 1:
            factor = _crc_multiply(_CRC_X2N[k & 31], factor)
        length >>= 1
        k += 1
    return factor


def crc32_combine(crc1: int, crc2: int, length2: int) -> int:
    """The CRC-32 of A followed by B, from A's CRC, B's CRC and B's length."""
    return _crc_multiply(_crc_shift(length2), crc1) ^ crc2


def _gzip_member(segments: list[bytes], crc: int, length: int) -> bytes:
    return b"".join(
        (_GZIP_HEADER, *segments, struct.pack("<II", crc & 0xFFFFFFFF, length & 0xFFFFFFFF))
    )


@functools.lru_cache(maxsize=64)
def _accepts_gzip(accept_encoding: bytes) -> bool:
    """Whether an Accept-Encoding header admits gzip (named, or ``*``, with a q above 0)."""
    for item in accept_encoding.lower().split(b","):
        coding, _, params = item.partition(b";")
        if coding.strip() not in (b"gzip", b"x-gzip", b"*"):
            continue
        for param in params.split(b";"):
            name, _, value = param.partition(b"=")
            if name.strip() == b"q":
                try:
                    return float(value.strip()) > 0
                except ValueError:
                    return False
        return True
    return False


def _http_date(value: bytes) -> int | None:
    """Seconds since the epoch of an HTTP date, or None when it is not one."""
    try:
        return parse_http_date(value.decode("latin-1")) if value else None
    except ValueError:
        return None


def _not_modified_since(if_modified_since: bytes, last_modified: int | None) -> bool:
    """Whether the answer last changed no later than If-Modified-Since says (RFC 9110 13.1.3)."""
    since = _http_date(if_modified_since)
    return last_modified is not None and since is not None and last_modified <= since


def _unchanged_for(if_none_match: bytes, etag: bytes) -> bool:
    """Whether If-None-Match names ``etag`` (compared weakly, as RFC 9110 says for GET)."""
    opaque = etag.removeprefix(b"W/")
    for candidate in if_none_match.split(b","):
        candidate = candidate.strip()
        if candidate == b"*" or candidate.removeprefix(b"W/") == opaque:
            return True
    return False


def _prepare_gzip(body: bytes, level: int) -> list[bytes]:
    return _deflate_segments(_split(body)[0], level)


def _vary_accept_encoding(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """``headers`` with Accept-Encoding among what the answer varies by."""
    for i, (name, value) in enumerate(headers):
        if name == b"vary":
            if b"accept-encoding" in value.lower() or value.strip() == b"*":
                return headers
            return [*headers[:i], (name, value + b", Accept-Encoding"), *headers[i + 1 :]]
    return [*headers, (b"vary", b"Accept-Encoding")]


class _Local:
    """Recent entries and token values held by this process (used from the event loop, but for
    :meth:`seen`, a plain dict write, and :meth:`watch_other_processes`, which only replaces
    whole attributes: both safe from any thread)."""

    def __init__(self) -> None:
        self.entries: LRUCache | None = None
        self.tokens: dict[str, tuple[str, float]] = {}
        # Set once this process answers requests through the layer: its own bumps then reach
        # its memory directly, and it watches the generation file for other processes' bumps.
        self.serving = False
        self.epoch = "0"
        self.generation: str | None = None
        self.generation_checked = 0.0

    def _store(self) -> LRUCache | None:
        if self.entries is None and settings.PAGE_CACHE_LOCAL_MB > 0:
            self.entries = LRUCache(
                maxsize=settings.PAGE_CACHE_LOCAL_MB * 1024 * 1024, getsizeof=lambda e: e.size
            )
        return self.entries

    def clear(self) -> None:
        self.entries = None
        self.tokens = {}
        self.generation = None

    def watch_other_processes(self, now: float, trust: float) -> None:
        """With the in-process cache, retire every token when another process bumped one."""
        if now - self.generation_checked <= trust:
            return
        self.generation_checked = now
        generation = _generation_read()
        if self.generation is not None and generation != self.generation:
            self.epoch = secrets.token_hex(4)  # every token key is new: every entry is stale
            self.tokens = {}
            self.entries = None
        self.generation = generation

    def seen(self, values: dict[str, str]) -> None:
        now = time.monotonic()
        for name, value in values.items():
            self.tokens[name] = (value, now)

    def get(self, key: _RequestKey) -> _Entry | None:
        """The entry for ``key``: this process's copy, else the shared cache's (then kept here)."""
        store = self._store()
        entry = store.get(key) if store is not None else None
        if entry is not None and entry.expires > time.time():
            return entry
        stored = cache.get(_shared_key(key))
        if stored is None:
            return None
        entry = _Entry(stored)
        if store is not None and entry.size <= store.maxsize // 4:
            store[key] = entry
        return entry

    def discard(self, key: _RequestKey) -> None:
        """Forget the copies of ``key``, this process's and the shared one."""
        if self.entries is not None:
            self.entries.pop(key, None)
        cache.delete(_shared_key(key))

    def put(self, key: _RequestKey, stored: dict[str, Any]) -> _Entry:
        store = self._store()
        entry = _Entry(stored)
        if store is not None and entry.size <= store.maxsize // 4:
            store[key] = entry
        return entry

    def current(self, deps: dict[str, str]) -> bool:
        """Whether every token still has the value ``deps`` was rendered under."""
        lost_resend()
        now = time.monotonic()
        conf = _conf()
        trust = conf.trust
        if not conf.shared:
            self.watch_other_processes(now, trust)
        known = self.tokens
        stale = []
        for name, value in deps.items():
            seen = known.get(name)
            if seen is None or now - seen[1] > trust:
                stale.append(name)
            elif seen[0] != value:
                return False
        if stale:
            found = cache.get_many([token_key(name) for name in stale])
            for name in stale:
                value = found.get(token_key(name))
                if value is None:  # gone from the shared cache: the entry cannot be trusted
                    return False
                known[name] = (value, now)
                if value != deps[name]:
                    return False
        return True


_local = _Local()


# --- The ASGI layer ------------------------------------------------------------------------


def _identity_cookie(name: str) -> bool:
    return name in _conf().identity or name.startswith("broadsheet_")


def _cookies(raw: bytes) -> dict[str, str]:
    """The cookies of a request's Cookie header(s), read as Django reads them.

    A piece without a name (a malformed header) is kept under ``""``, so the request goes to
    Django rather than being answered from the cache.
    """
    return parse_cookie(raw.decode("latin-1")) if raw else {}


# What one cached answer is for: host, htmx's request header (htmx asks the same URL for a
# fragment that a plain browser gets as a page), path and query string. This process keeps its
# copies under the tuple itself; the shared cache under a digest of it.
_RequestKey = tuple[bytes, bytes, str, bytes]


def _shared_key(key: _RequestKey) -> str:
    host, hx_request, path, query = key
    raw = b"\n".join((host, hx_request, path.encode("utf-8", "surrogateescape"), query))
    return _ENTRY_PREFIX + hashlib.sha256(raw).hexdigest()


def _csrf_cookie_header(secret: str) -> tuple[bytes, bytes]:
    template = _csrf_cookie_template(int(time.time()), settings.CSRF_COOKIE_PATH)
    value = template.replace(_SECRET_SLOT, secret)
    return b"set-cookie", value.encode("latin-1")


_SECRET_SLOT = "SECRETSLOT"  # noqa: S105  (where the secret goes, not a secret)


@functools.lru_cache(maxsize=2)
def _csrf_cookie_template(_second: int, path: str) -> str:
    """The Set-Cookie value Django's CSRF middleware would send, made once a second (its expiry
    date is the only part that changes) with a slot for the reader's secret. For ``path``
    (CSRF_COOKIE_PATH: the site's path prefix), as Django's: two csrftoken cookies for two paths
    would leave the browser sending either with a form."""
    response = HttpResponse()
    response.set_cookie(
        settings.CSRF_COOKIE_NAME,
        _SECRET_SLOT,
        max_age=settings.CSRF_COOKIE_AGE,
        domain=settings.CSRF_COOKIE_DOMAIN,
        path=path,
        secure=settings.CSRF_COOKIE_SECURE,
        httponly=settings.CSRF_COOKIE_HTTPONLY,
        samesite=settings.CSRF_COOKIE_SAMESITE,
    )
    return response.cookies[settings.CSRF_COOKIE_NAME].OutputString()


def _csrf_chars(count: int) -> str:
    """``count`` characters drawn uniformly from Django's 62 CSRF characters, in one call to the
    operating system's generator (Django draws them one ``secrets.choice`` at a time)."""
    drawn = ""
    while len(drawn) < count:
        # Base64 of random bytes with its two non-alphanumeric symbols dropped: every character
        # left is uniform over the 62.
        drawn += secrets.token_urlsafe(count).translate(_NOT_ALNUM)
    return drawn[:count]


_NOT_ALNUM = str.maketrans("", "", "-_")
# Django's masking adds (and unmasking subtracts) two characters' places among its 62, one pair
# at a time in a Python loop (12 of a cache hit's 24 microseconds). The same sums, looked up.
_SIZE = len(CSRF_ALLOWED_CHARS)
_ADD = {
    (a, b): CSRF_ALLOWED_CHARS[(i + j) % _SIZE]
    for i, a in enumerate(CSRF_ALLOWED_CHARS)
    for j, b in enumerate(CSRF_ALLOWED_CHARS)
}
_SUBTRACT = {
    (a, b): CSRF_ALLOWED_CHARS[(i - j) % _SIZE]
    for i, a in enumerate(CSRF_ALLOWED_CHARS)
    for j, b in enumerate(CSRF_ALLOWED_CHARS)
}


def _fresh_csrf() -> tuple[str, str]:
    """A new reader's CSRF secret, and the form token for it: the secret itself, unmasked.

    Django reads a form token of the secret's length as the secret unmasked
    (``_does_token_match``). Masking keeps a secret that a reader's pages repeat from being read
    out of their compressed bodies a guess at a time (BREACH); a new secret is in one page only,
    and every later page of this reader (who now has the cookie) masks it afresh
    (:func:`_masked_csrf`). Drawn this way it costs half the random characters and no shifting:
    a cache hit for a new reader took 13 microseconds to make its token, and 6 now.
    """
    secret = _csrf_chars(CSRF_SECRET_LENGTH)
    return secret, secret


def _masked_csrf(secret: str) -> str:
    """A form token for a reader whose CSRF cookie holds ``secret``, as ``get_token`` makes it: a
    fresh random mask, then each character of the secret shifted by the mask's (Django's
    ``_mask_cipher_secret``; its ``_unmask_cipher_token`` reverses it when the form comes back).
    """
    mask = _csrf_chars(CSRF_SECRET_LENGTH)
    return mask + "".join(map(_ADD.__getitem__, zip(secret, mask, strict=True)))


def _values(
    entry: _Entry, cookies: dict[str, str]
) -> tuple[list[bytes], list[tuple[bytes, bytes]]]:
    """What goes in each placeholder for this reader; the headers to add (the CSRF cookie, if
    new)."""
    extra = []
    csrf = b""
    if "csrf" in entry.slots:
        secret = cookies.get(settings.CSRF_COOKIE_NAME, "")
        if _CSRF_SECRET.match(secret):
            csrf = _masked_csrf(secret).encode()
        else:
            secret, token = _fresh_csrf()
            csrf = token.encode()
            extra.append(_csrf_cookie_header(secret))
    values = [csrf] * len(entry.slots)
    if entry.idempotency_at:
        # 32 hex digits, as the form's own key (a uuid4's), for a quarter of the time.
        key = secrets.token_hex(16).encode()
        for at in entry.idempotency_at:
            values[at] = key
    return values, extra


def _personalise(entry: _Entry, cookies: dict[str, str]) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    """The body with the placeholders filled for this reader; the headers to add (the CSRF
    cookie, if new). A response without forms (the API's JSON) is sent as stored, uncopied.
    """
    if not entry.slots:
        return entry.parts[0], []
    values, extra = _values(entry, cookies)
    pieces: list[bytes] = [b""] * (2 * len(entry.parts) - 1)
    pieces[0::2] = entry.parts
    pieces[1::2] = values
    return b"".join(pieces), extra


def _personalise_gzip(
    entry: _Entry, cookies: dict[str, str]
) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    """As :func:`_personalise`, gzipped: the stored segments with this reader's values between
    them as stored blocks, and gzip's checksum of the whole, as the reader's browser will read it.
    """
    values, extra = _values(entry, cookies)
    segments = entry.gzip
    assert segments is not None
    pieces = [b""] * (2 * len(segments) - 1)
    pieces[0::2] = segments
    crcs = entry.part_crcs
    crc = crcs[0]
    for at, value in enumerate(values, start=1):
        crc = crc32_combine(crc32_combine(crc, zlib.crc32(value), len(value)), *crcs[at])
    pieces[1::2] = [_stored_block(value) for value in values]
    return _gzip_member(pieces, crc, entry.length + sum(map(len, values))), extra


@functools.cache
def _placeholder_bytes(name: str) -> bytes:
    return _placeholder(name).encode()


_NO_COOKIES: dict[str, str] = {}


def _parse_deps(value: bytes) -> dict[str, str]:
    deps = {}
    for part in value.decode("latin-1").split():
        name, _, token = part.partition("=")
        deps[name] = token
    return deps


class _Flight:
    """A render in progress: when it started, so a stale copy is only served for so long."""

    __slots__ = ("started",)

    def __init__(self) -> None:
        self.started = time.monotonic()


def _secure(scope: dict[str, Any], proto_header: tuple[bytes, str] | None) -> bool:
    """Whether Django's ``request.is_secure()`` would say the request came over HTTPS: the
    trusted proxy's header when it sent one (its first value), else the connection's scheme."""
    if proto_header is not None:
        name, secure_value = proto_header
        for header, value in scope["headers"]:
            if header == name:
                return value.decode("latin-1").split(",")[0].strip() == secure_value
    return scope.get("scheme") == "https"


class AnonymousPageCache:
    """ASGI middleware: answer anonymous GETs from the cache, store what views mark cacheable."""

    def __init__(self, app: Any) -> None:
        self.app = app
        # The requests of this process now rendering a page the cache held a stale copy of, or
        # none: by what they are for (the cache's key).
        self._flights: dict[_RequestKey, _Flight] = {}

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # One pass over the headers: the Host (several joined, as Django reads them), the first
        # HX-Request, every Cookie header, and whether a client sent the header only this layer
        # may send.
        host = hx_request = None
        cookie = accept_encoding = if_none_match = if_modified_since = b""
        forged = False
        for name, value in scope["headers"]:
            if name == b"host":
                # Several Host headers reach Django joined by commas, which it refuses.
                host = value if host is None else host + b"," + value
            elif name == b"accept-encoding":
                accept_encoding = value if not accept_encoding else accept_encoding + b"," + value
            elif name == b"if-none-match":
                if_none_match = value if not if_none_match else if_none_match + b"," + value
            elif name == b"cookie":
                cookie = value if not cookie else cookie + b"; " + value
            elif name == b"if-modified-since":
                if_modified_since = value
            elif name == b"hx-request":
                hx_request = value if hx_request is None else hx_request
            elif name.lower() == _FLAG_HEADER:
                forged = True
        if forged:
            # Only this layer may say a request is one it will store: never a client.
            kept = [(k, v) for k, v in scope["headers"] if k.lower() != _FLAG_HEADER]
            scope = {**scope, "headers": kept}
        conf = _conf()
        path = scope.get("path", "")
        method = scope["method"]
        if method not in ("GET", "HEAD") or conf.seconds <= 0 or path.startswith(conf.skip):
            await self.app(scope, receive, send)
            return
        _local.serving = True
        cookies = _cookies(cookie) if cookie else _NO_COOKIES
        if cookies and ("" in cookies or any(_identity_cookie(name) for name in cookies)):
            await self.app(scope, receive, send)
            return
        if host is None or not conf.hosts.allow(host):
            # A host Django refuses (400) is never answered from a copy, whenever it was kept;
            # a request without a Host header is left to Django too, which names one for it.
            await self.app(scope, receive, send)
            return
        if conf.https_only and not _secure(scope, conf.proto_header):
            # Django redirects it to HTTPS: a copy must not answer it over plain HTTP.
            await self.app(scope, receive, send)
            return
        key = (host or b"", hx_request or b"", path, scope.get("query_string", b""))
        gzip = bool(accept_encoding) and conf.gzip_level > 0 and _accepts_gzip(accept_encoding)
        # The cache calls are synchronous on purpose: a local Redis or the in-process cache
        # answers in well under a millisecond, less than a hop to a thread would cost.
        entry = _local.get(key)
        if entry is not None and _local.current(entry.deps):
            etag = entry.etag
            if if_none_match:
                unchanged = etag is not None and _unchanged_for(if_none_match, etag)
            else:
                unchanged = bool(if_modified_since) and _not_modified_since(
                    if_modified_since, entry.last_modified
                )
            if unchanged:
                await self._send_not_modified(send, entry)
            else:
                await self._send(send, entry, cookies, b"hit", gzip, head=method == "HEAD")
            return
        head = method == "HEAD"
        if head:
            # A HEAD (a link checker, an uptime monitor, a feed reader checking its ETag) is
            # rendered as the GET, kept as the GET's copy and answered with its headers alone:
            # left to Django it had the GET's headers but the validators, which this layer adds
            # to what it keeps (ETag), so a client could not tell whether its copy was current.
            scope = {**scope, "method": "GET"}
        flight = self._flights.get(key)
        if flight is None:
            await self._render_first(
                scope, receive, send, key, cookies, gzip, stale=entry is not None, head=head
            )
        elif entry is not None and time.monotonic() - flight.started <= conf.grace:
            # The page is being rendered afresh by this process's request that found it stale:
            # this reader gets the copy from just before the write rather than a render of
            # their own (a write makes every reader miss at once; under a steady stream of new
            # comments each render would otherwise be done by every reader who arrives during
            # it).
            await self._send(send, entry, cookies, b"stale", gzip, head=head)
        else:
            await self._render(scope, receive, send, key, cookies, gzip, head=head)

    async def _render_first(
        self,
        scope,
        receive,
        send,
        key: _RequestKey,
        cookies,
        gzip: bool,
        *,
        stale: bool,
        head: bool = False,
    ) -> None:
        """Render ``key`` as this process's one request doing so, so that others arriving
        meanwhile can be given the ``stale`` copy, if there is one."""
        self._flights[key] = _Flight()
        stored = False
        try:
            stored = await self._render(scope, receive, send, key, cookies, gzip, head=head)
        finally:
            del self._flights[key]
            if stale and not stored and _conf().grace > 0:
                # The page no longer renders as one to keep (an article withdrawn, an error):
                # nobody may be given the copy from before any more.
                _local.discard(key)

    async def _render(
        self,
        scope,
        receive,
        send,
        key: _RequestKey,
        cookies: dict[str, str],
        gzip: bool,
        *,
        head: bool = False,
    ) -> bool:
        """Have Django answer; store the answer if the view marked it. True when stored.

        ``head``: the request was a HEAD, asked of Django as a GET; the client gets the
        answer's headers (its length the GET's) and no body."""
        headers = [*scope.get("headers", ()), (_FLAG_HEADER, _placeholder_bytes("layer"))]
        scope = {**scope, "headers": headers}
        start: dict[str, Any] = {}
        chunks: list[bytes] = []
        passing = False
        stored = False

        async def capture(message: dict[str, Any]) -> None:
            nonlocal passing, stored
            if passing:
                if head and message["type"] == "http.response.body":
                    message = {**message, "body": b""}
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
                    stored = await self._store_and_send(
                        send, key, start, b"".join(chunks), cookies, gzip, head=head
                    )
                return
            await send(message)

        await self.app(scope, receive, capture)
        return stored

    async def _store_and_send(
        self,
        send,
        key: _RequestKey,
        start: dict[str, Any],
        body: bytes,
        cookies,
        gzip: bool,
        *,
        head: bool = False,
    ) -> bool:
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
        kept = len(body) <= _MAX_BODY
        segments = None
        level = _conf().gzip_level
        if kept and level > 0 and _compressible(headers, len(body)):
            # Compressing the 10,000-comment page takes a few milliseconds: off the event loop,
            # which meanwhile answers other readers (zlib lets go of the GIL as it works).
            segments = await asyncio.get_running_loop().run_in_executor(
                None, _prepare_gzip, body, level
            )
            headers = _vary_accept_encoding(headers)
        stored = {
            "status": start["status"],
            "headers": headers,
            "body": body,
            "deps": deps,
            "stored_at": time.time(),
        }
        if segments is not None:
            stored["gzip"] = segments
        if kept:
            cache.set(_shared_key(key), stored, timeout=settings.PAGE_CACHE_SECONDS)
            entry = _local.put(key, stored)
        else:
            entry = _Entry(stored)
        await self._send(send, entry, cookies, b"miss", gzip, head=head)
        return kept

    async def _send_not_modified(self, send, entry: _Entry) -> None:
        """304: the client's copy (named by its If-None-Match) is this answer."""
        headers = [*entry.not_modified_headers, (b"x-cache", b"hit")]
        await send({"type": "http.response.start", "status": 304, "headers": headers})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def _send(
        self, send, entry: _Entry, cookies, state: bytes, gzip: bool, *, head: bool = False
    ) -> None:
        """The answer from ``entry`` for this reader; for a HEAD, its headers alone (the length
        the GET's body would have)."""
        gzip = gzip and entry.gzip is not None
        if entry.fixed_headers is not None:
            if gzip:
                body = entry.gzip_fixed
                headers = [
                    *entry.headers,
                    (b"content-encoding", b"gzip"),
                    (b"content-length", str(len(body)).encode()),
                    (b"x-cache", state),
                ]
            else:
                headers, body = entry.fixed_headers[state], entry.parts[0]
        else:
            if gzip:
                body, extra = _personalise_gzip(entry, cookies)
                extra.append((b"content-encoding", b"gzip"))
            else:
                body, extra = _personalise(entry, cookies)
            headers = [
                *entry.headers,
                *extra,
                (b"content-length", str(len(body)).encode()),
                (b"x-cache", state),
            ]
        await send({"type": "http.response.start", "status": entry.status, "headers": headers})
        if head:
            body = b""
        await send({"type": "http.response.body", "body": body, "more_body": False})
