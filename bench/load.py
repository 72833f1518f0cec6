"""Load generators and HTTP clients for the benchmark, all aimed at 127.0.0.1 and bounded.

Closed-loop load (a fixed number of keep-alive connections, each sending its next request when
the last answer has arrived, for a fixed number of seconds) comes from ``wrk`` when it is
installed, else from :func:`python_load`, a small asyncio generator in the standard library.
Either way a case stops by itself: wrk's ``-d`` and a subprocess timeout, or the asyncio
deadline.

:func:`sse_delivery` opens many Server-Sent Events streams at once and times each comment from
the moment its POST is sent until each stream has received it.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import http.client
import json
import re
import shutil
import subprocess
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field

HOST = "127.0.0.1"


@dataclass
class Load:
    """What one measured run produced."""

    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int  # answers other than 2xx/3xx, plus socket errors and timeouts
    generator: str
    notes: list[str] = field(default_factory=list)
    answered: int = 0  # successful answers, warm-up included (set by the caller)


# --- one-off requests ----------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    cookies: dict[str, str]
    body: bytes


def fetch(
    port: int,
    path: str,
    *,
    method: str = "GET",
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
) -> Answer:
    """One request on a fresh connection (for setup and checks, never for timing)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        cookies = {}
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                cookie_name, _, rest = value.partition("=")
                cookies[cookie_name.strip()] = rest.split(";", 1)[0]
        return Answer(
            response.status,
            {name.lower(): value for name, value in response.getheaders()},
            cookies,
            data,
        )
    finally:
        conn.close()


def probe_status(port: int, path: str, *, timeout: float = 10) -> int:
    """The status of ``path`` without reading its body (a stream's body never ends)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Accept": "text/event-stream"})
        return conn.getresponse().status
    finally:
        conn.close()


# --- wrk -----------------------------------------------------------------------------------

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text.strip())
    if not match:
        raise ValueError(f"wrk latency {text!r}")
    return float(match.group(1)) * _UNITS_MS[match.group(2)]


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def wrk_load(url: str, *, seconds: float, connections: int, script: str | None = None) -> Load:
    """Run wrk (one thread, ``connections`` connections) and read its latency distribution."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=True) as lua:
        command = [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "10s",
            "--latency",
        ]
        if script:
            lua.write(script)
            lua.flush()
            command += ["-s", lua.name]
        command.append(url)
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=seconds + 30, check=False
        )
    out = done.stdout
    if done.returncode != 0 or "Requests/sec" not in out:
        raise RuntimeError(f"wrk failed: {done.stderr.strip() or out.strip()}")
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.M))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(match.group(1))
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    ):
        # A read error is the peer closing a connection it said nothing about keeping
        # (gunicorn's sync workers close after every answer); wrk reconnects and goes on.
        errors += int(match.group(1)) + int(match.group(3)) + int(match.group(4))
    return Load(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        p50_ms=_ms(percentiles["50"]),
        p99_ms=_ms(percentiles["99"]),
        requests=requests,
        errors=errors,
        generator="wrk",
    )


# --- the asyncio generator -----------------------------------------------------------------


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if ":" in line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        parts = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await reader.readuntil(b"\r\n")
                break
            parts.append(await reader.readexactly(size))
            await reader.readexactly(2)
        body = b"".join(parts)
    elif status in (204, 304) or 100 <= status < 200:
        body = b""
    else:
        body = await reader.read()
        headers["connection"] = "close"
    return status, headers, body


def _percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
    return ordered[index]


async def _closed_loop(ports, labels, make_request, seconds, connections) -> dict[str, Load]:
    """Each connection sends its next request when the last is answered, taking the ``labels``
    in turn (starting at its own number); every label keeps its own latencies and errors.

    ``ports`` is the server's port, or a port for each label (several servers, one load): each
    connection then keeps a socket open to every server it takes turns on."""
    latencies: dict[str, list[float]] = {label: [] for label in labels}
    errors = dict.fromkeys(labels, 0)
    port_of = ports if isinstance(ports, dict) else dict.fromkeys(labels, ports)
    deadline = time.perf_counter() + seconds

    async def one_connection(n: int) -> None:
        open_to: dict[int, tuple] = {}  # port: (reader, writer)
        sequence = 0
        while time.perf_counter() < deadline:
            label = labels[(n + sequence) % len(labels)]
            port = port_of[label]
            sequence += 1
            try:
                if port not in open_to:
                    open_to[port] = await asyncio.open_connection(HOST, port)
                reader, writer = open_to[port]
                request = make_request(label, n, sequence)
                started = time.perf_counter()
                writer.write(request)
                remaining = deadline + 10 - started
                status, headers, _ = await asyncio.wait_for(_read_response(reader), remaining)
                latencies[label].append(time.perf_counter() - started)
                if not 200 <= status < 400:
                    errors[label] += 1
                if headers.get("connection", "").lower() == "close":
                    open_to.pop(port)[1].close()
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
                errors[label] += 1
                if port in open_to:
                    open_to.pop(port)[1].close()
        for _reader, writer in open_to.values():
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(one_connection(n) for n in range(connections)))
    elapsed = time.perf_counter() - started
    generator = "python" if len(labels) == 1 else "python, paired"
    return {
        label: Load(
            rps=len(values) / elapsed,
            p50_ms=_percentile(values, 0.50) * 1000,
            p99_ms=_percentile(values, 0.99) * 1000,
            requests=len(values),
            errors=errors[label],
            generator=generator,
        )
        for label, values in latencies.items()
    }


def python_load(port: int, make_request, *, seconds: float, connections: int) -> Load:
    """Closed-loop load from asyncio: ``make_request(connection, n)`` gives each request's bytes."""
    found = asyncio.run(
        _closed_loop(
            port, ["all"], lambda _label, n, seq: make_request(n, seq), seconds, connections
        )
    )
    return found["all"]


def paired_load(
    port: int | dict[str, int],
    requests: dict[str, bytes],
    *,
    seconds: float,
    connections: int,
) -> dict[str, Load]:
    """Closed-loop load in which every connection alternates between the ``requests``.

    Each label gets its own latencies, measured on the same connections at the same moments, so
    how the connections fell to the server's workers and whatever else the machine did weigh
    on each alike: the fair way to compare two requests' tails. ``port`` may give each label its
    own server (the same page from two sites, say).
    """
    labels = list(requests)
    return asyncio.run(
        _closed_loop(port, labels, lambda label, _n, _seq: requests[label], seconds, connections)
    )


def request_bytes(
    port: int, path: str, *, method: str = "GET", body: bytes = b"", headers: dict | None = None
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}"]
    for name, value in (headers or {}).items():
        lines.append(f"{name}: {value}")
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


# --- POST bodies, shared by wrk's Lua and the asyncio generator ----------------------------


def form_post_lua(path: str, cookie: str, token: str, prefix: str) -> str:
    """wrk script: one guest comment per request, each with its own text and idempotency key."""
    return f"""
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "{cookie}"
local counter = 0
request = function()
  counter = counter + 1
  local key = "{prefix}" .. counter
  local body = "csrfmiddlewaretoken={token}&author_name=Bench+reader&author_email=" ..
    "&body=Comment+" .. key .. "+on+the+council+housing+plan+and+what+residents+said." ..
    "&idempotency_key=" .. key
  return wrk.format(nil, "{path}", nil, body)
end
"""


def api_post_lua(article_id: int, cookie: str, token: str, prefix: str) -> str:
    """wrk script: the same guest comment as :func:`form_post_lua`'s, posted as JSON to the
    API's ``POST /api/v1/comments`` (CSRF token in its header), as Isso's is to ``/new``."""
    return f"""
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = "{cookie}"
wrk.headers["X-CSRFToken"] = "{token}"
local counter = 0
request = function()
  counter = counter + 1
  local key = "{prefix}" .. counter
  local body = '{{"article": {article_id}, "author_name": "Bench reader", "body": "Comment ' ..
    key .. ' on the council housing plan and what residents said.", "idempotency_key": "' ..
    key .. '"}}'
  return wrk.format(nil, "/api/v1/comments", nil, body)
end
"""


def form_post_body(token: str, key: str) -> bytes:
    return urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "author_name": "Bench reader",
            "author_email": "",
            "body": f"Comment {key} on the council housing plan and what residents said.",
            "idempotency_key": key,
        }
    ).encode()


def json_post_lua(path: str, prefix: str) -> str:
    """wrk script for Isso's POST /new: a JSON comment per request, each with its own text."""
    return f"""
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local counter = 0
request = function()
  counter = counter + 1
  local body = '{{"text": "Comment {prefix}' .. counter ..
    ' on the council housing plan and what residents said.", "author": "Bench reader"}}'
  return wrk.format(nil, "{path}", nil, body)
end
"""


def json_post_body(key: str) -> bytes:
    return json.dumps(
        {
            "text": f"Comment {key} on the council housing plan and what residents said.",
            "author": "Bench reader",
        }
    ).encode()


# --- SSE delivery --------------------------------------------------------------------------


@dataclass
class Delivery:
    rps: float  # deliveries per second while posting
    p50_ms: float
    p99_ms: float
    streams: int
    posts: int
    missing: int  # (stream, comment) pairs not delivered within the wait
    notes: list[str] = field(default_factory=list)


class EndpointMissing(Exception):
    pass


async def _sse_delivery(
    port: int,
    stream_path: str,
    post_path: str,
    post_headers: dict[str, str],
    post_body,
    *,
    streams: int,
    posts: int,
    wait: float,
) -> Delivery:
    arrivals: dict[int, list[float]] = {}
    opened = 0
    refused: list[int] = []
    ready = asyncio.Event()  # set once every stream has opened or failed

    def settled() -> None:
        if opened + len(refused) >= streams:
            ready.set()

    writers: list[asyncio.StreamWriter] = []

    async def stream() -> None:
        nonlocal opened
        try:
            reader, writer = await asyncio.open_connection(HOST, port, limit=1 << 20)
        except OSError:
            refused.append(0)
            settled()
            return
        writers.append(writer)
        writer.write(
            request_bytes(
                port,
                stream_path,
                headers={"Accept": "text/event-stream", "Cache-Control": "no-cache"},
            )
        )
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            refused.append(0)
            settled()
            return
        status = int(head.split()[1])
        if status != 200:
            refused.append(status)
            settled()
            return
        chunked = b"transfer-encoding: chunked" in head.lower()
        opened += 1
        settled()
        buffer = b""
        event = data = None
        while True:
            try:
                if chunked:
                    size_line = await reader.readuntil(b"\r\n")
                    size = int(size_line.split(b";")[0], 16)
                    if size == 0:
                        return
                    chunk = await reader.readexactly(size + 2)
                    buffer += chunk[:-2]
                else:
                    chunk = await reader.read(65536)
                    if not chunk:
                        return
                    buffer += chunk
            except (OSError, asyncio.IncompleteReadError, ValueError):
                return
            now = time.perf_counter()
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                line = line.rstrip(b"\r")
                if not line:
                    if event == b"comment" and data:
                        try:
                            comment_id = int(json.loads(data)["id"])
                        except (ValueError, KeyError, TypeError):
                            comment_id = None
                        if comment_id is not None:
                            arrivals.setdefault(comment_id, []).append(now)
                    event = data = None
                elif line.startswith(b"event:"):
                    event = line[6:].strip()
                elif line.startswith(b"data:"):
                    data = (data or b"") + line[5:].strip()

    tasks = []
    for n in range(streams):
        tasks.append(asyncio.create_task(stream()))
        if n % 50 == 49:
            await asyncio.sleep(0.05)  # let the server accept them in steps
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(ready.wait(), 60)
    if not opened:
        for task in tasks:
            task.cancel()
        raise EndpointMissing(f"stream answered {refused[0] if refused else 'nothing'}")

    notes = []
    if opened < streams:
        statuses = ", ".join(
            f"{n} x {code or 'no answer'}"
            for code, n in sorted(collections.Counter(refused).items())
        )
        notes.append(f"only {opened} of {streams} streams opened ({statuses or 'slow'})")
    await asyncio.sleep(0.5)
    latencies: list[float] = []
    missing = 0
    post_errors = 0
    post_statuses: list[int] = []
    posting_started = time.perf_counter()
    for n in range(posts):
        started = time.perf_counter()
        reader, writer = await asyncio.open_connection(HOST, port)
        body = post_body(n)
        writer.write(request_bytes(port, post_path, method="POST", body=body, headers=post_headers))
        status, headers, _ = await _read_response(reader)
        writer.close()
        match = re.search(r"[?&]c=(\d+)", headers.get("location", ""))
        if status != 302 or not match:
            post_errors += 1
            post_statuses.append(status)
            continue
        comment_id = int(match.group(1))
        deadline = started + wait
        while len(arrivals.get(comment_id, ())) < opened and time.perf_counter() < deadline:
            await asyncio.sleep(0.002)
        got = arrivals.get(comment_id, [])
        latencies.extend(t - started for t in got)
        missing += opened - len(got)
        await asyncio.sleep(0.1)
    elapsed = time.perf_counter() - posting_started
    for writer in writers:
        writer.close()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    if post_errors:
        notes.append(f"{post_errors} of {posts} posts failed (status {sorted(set(post_statuses))})")
    if missing:
        notes.append(f"{missing} deliveries missing after {wait:.0f} s")
    # A missing delivery counts as the wait itself, so it can only raise the percentiles.
    latencies.extend([wait] * missing)
    return Delivery(
        rps=(len(latencies) - missing) / elapsed if elapsed else 0.0,
        p50_ms=_percentile(latencies, 0.50) * 1000,
        p99_ms=_percentile(latencies, 0.99) * 1000,
        streams=opened,
        posts=posts - post_errors,
        missing=missing,
        notes=notes,
    )


def sse_delivery(
    port: int,
    stream_path: str,
    post_path: str,
    post_headers,
    post_body,
    *,
    streams: int = 1000,
    posts: int = 20,
    wait: float = 5.0,
) -> Delivery:
    return asyncio.run(
        _sse_delivery(
            port,
            stream_path,
            post_path,
            post_headers,
            post_body,
            streams=streams,
            posts=posts,
            wait=wait,
        )
    )
