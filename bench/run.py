"""``make bench``: Broadsheet under load on this machine, beside Isso and nginx, in one run.

Starts the production server (Granian, ASGI, a worker per core, DEBUG off) on a fresh database,
seeds it in bulk (bench/seed.py), drives bounded load at 127.0.0.1 (wrk, or an asyncio
generator when wrk cannot be installed), prints one table and writes var/bench/latest.json.
docs/bench.md says what each case measures and how to read the figures.

Environment knobs (all optional): BENCH_SECONDS (measured seconds per case, 8),
BENCH_WARMUP (2), BENCH_CONNECTIONS (16), BENCH_SITE_COMMENTS (1000000), BENCH_SSE_STREAMS
(1000), BENCH_GENERATOR=python (skip wrk), BENCH_NO_INSTALL=1 (install nothing),
BENCH_NO_ISSO=1, BENCH_PAIR_ROUNDS (2) and BENCH_PAIR_SECONDS (8) (the article page, nginx
and Granian alone in turns), BENCH_DJANGO_SETTINGS (a settings module to try instead of
broadsheet.settings, on PYTHONPATH), BENCH_BUDGET_SECONDS (590: the run stops there and
reports what it measured), BENCH_POSTGRES_URL (an admin URL; default postgres://postgres@127.0.0.1:5432/
postgres), BENCH_REDIS_URL (default redis://127.0.0.1:6379/13; that Redis database is flushed).
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import gzip
import json
import math
import os
import re
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench import load, procs  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
SITE_VAR = VAR / "site"
LOGS = VAR / "logs"
PYTHON = sys.executable
BIN = Path(sys.executable).parent
DB_NAME = "broadsheet_bench"
DB_NAME_10K = "broadsheet_bench_10k"  # the site as it was at 10,000 comments (site_pair_case)

SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))
WARMUP = float(os.environ.get("BENCH_WARMUP", "2"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
SITE_COMMENTS = int(os.environ.get("BENCH_SITE_COMMENTS", "1000000"))
SSE_STREAMS = int(os.environ.get("BENCH_SSE_STREAMS", "1000"))
# New comments a second on the 10k-comment thread while its page is read (a breaking story's
# thread gets thousands an hour): each makes every cached copy of the page stale.
LIVE_RATE = float(os.environ.get("BENCH_LIVE_RATE", "2"))
# The article page against nginx and Granian alone, in turns (article_pair_case).
# Turns as long as the other cases' runs: nginx sends the 349 KiB page faster once its fresh
# connections have been open a few seconds (2-second turns read it about a fifth lower).
PAIR_ROUNDS = int(os.environ.get("BENCH_PAIR_ROUNDS", "2"))
PAIR_SLICE = float(os.environ.get("BENCH_PAIR_SECONDS", str(SECONDS)))
POSTGRES_ADMIN = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
CORES = os.cpu_count() or 1
ISSO_FIRST_PAGE = "/?uri=%2Fbench-1k%2F&limit=20&nested_limit=3"
# Every rate limit far above what the bench sends: it measures the work, not the refusals.
UNLIMITED = "1000000/s"

CASES = [
    ("article_page_10k_warm", "article page, 10k-comment thread, cache warm"),
    ("article_page_10k_gzip", "the same, asked as browsers ask (Accept-Encoding: gzip)"),
    ("article_page_10k_live", f"the same while {LIVE_RATE:g} comments a second are posted to it"),
    ("api_first_page_1k_warm", "API first page of 20, 1k thread, cache warm"),
    ("api_first_page_1k_nocache", "API first page of 20, 1k thread, caching off"),
    ("api_page50_1k", "API page 50 by cursor, 1k thread, caching off"),
    ("counts_20", "comment counts for 20 articles, cache warm"),
    ("comment_post", "comment POST (durable, screened)"),
    ("sse_delivery_1000", f"SSE POST-to-delivery, {SSE_STREAMS} open streams"),
    ("api_first_page_1k_10k_site", "API first page, 10k comments site-wide, caching off"),
    ("api_first_page_1k_1m_site", "API first page, 1M comments site-wide, caching off"),
]
PEERS = [
    ("isso_first_page_1k", "Isso: first page of 20, 1k thread"),
    ("isso_post", "Isso: POST /new"),
    ("nginx_article_static", "nginx: the article page's bytes as a static file"),
    ("granian_static_article", "Granian alone: the article page's bytes from a trivial app"),
    ("granian_static_api", "Granian alone: the API first page's bytes from a trivial app"),
    ("django_floor_api", "Django alone: the API first page's bytes from a view, same server"),
    ("django_floor_post", "Django alone: a form POST, CSRF, one INSERT committed, same server"),
]


def say(message: str) -> None:
    print(f"  {message}", flush=True)


def guarded(*names: str, table: str = "results"):
    """A case that fails is reported as n/a with its error; the run goes on to the next one.

    With no ``names`` the case's name is the method's first argument."""

    def wrap(method):
        @functools.wraps(method)
        def run(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except Exception as exc:  # noqa: BLE001
                why = f"failed: {exc.__class__.__name__}: {str(exc).splitlines()[0][:160]}"
                for name in names or args[:1]:
                    if name not in getattr(self, table):
                        self.missing(getattr(self, table), name, why)

        return run

    return wrap


def answering(
    server: subprocess.Popen,
    port: int,
    path: str,
    *,
    name: str,
    status: int | None = None,
    timeout: float = 60,
) -> None:
    """Wait until ``server`` answers ``path`` on ``port`` (with ``status``, or at all). If it exits
    or has not answered in ``timeout`` seconds, it is stopped and RuntimeError says why, with the
    end of its log."""

    def up() -> bool:
        if server.poll() is not None:
            raise RuntimeError(f"{name} exited:\n" + procs.log_tail(server))
        try:
            answer = load.fetch(port, path, timeout=2)
        except OSError:
            return False
        return status is None or answer.status == status

    try:
        if procs.wait_for(up, timeout=timeout):
            return
    except RuntimeError:
        procs.stop(server)
        raise
    procs.stop(server)
    raise RuntimeError(f"{name} did not answer in {timeout:g} s:\n" + procs.log_tail(server))


class Bench:
    def __init__(self) -> None:
        self.started = time.monotonic()
        self.steal_before = procs.steal_ticks()
        self.results: dict[str, dict] = {}
        self.peers: dict[str, dict] = {}
        self.notes: dict[str, str] = {}
        self.meta: dict = {
            "cores": CORES,
            "seconds_per_case": SECONDS,
            "warmup": WARMUP,
            "connections": CONNECTIONS,
            # Broadsheet's and Isso's: the same interpreter (isso_install).
            "python": f"{sys.version.split()[0]} ({_base_python()})",
        }
        self.secret = secrets.token_urlsafe(40)
        self.generator = "python"
        self.server = None
        self.port = 0
        self.seed: dict = {}
        self.article_bytes: bytes | None = None
        self.api_bytes: bytes | None = None
        self.postgres = False
        self.redis = False
        self.workers = 1
        self.database_url = ""
        self.small_site_url = ""

    # --- plumbing ------------------------------------------------------------------------

    def env(
        self, *, port: int, cache: bool, database_url: str = "", cache_prefix: str = "bench"
    ) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("PAGE_CACHE_SECONDS",)}
        env.update(
            DJANGO_SETTINGS_MODULE=os.environ.get("BENCH_DJANGO_SETTINGS", "broadsheet.settings"),
            BROADSHEET_VAR_DIR=str(SITE_VAR),
            DATABASE_URL=database_url or self.database_url,
            REDIS_URL=REDIS if self.redis else "",
            CACHE_KEY_PREFIX=cache_prefix,
            SECRET_KEY=self.secret,
            DEBUG="false",
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SITE_BASE_URL=f"http://127.0.0.1:{port}",
            COMMENT_RATE_LIMIT=UNLIMITED,
            MODERATION_RATE_PER_READER=UNLIMITED,
            MODERATION_RATE_PER_IP=UNLIMITED,
            REACTION_RATE_LIMIT=UNLIMITED,
            COMMENT_EDIT_RATE_LIMIT=UNLIMITED,
            BENCH_SITE_COMMENTS=str(SITE_COMMENTS),
            PYTHONUNBUFFERED="1",
        )
        if not cache:
            env["PAGE_CACHE_SECONDS"] = "0"
        return env

    def manage(self, *args: str) -> None:
        subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env(port=8000, cache=True),
            check=True,
            timeout=600,
        )

    def seed_stage(self, stage: str) -> None:
        out = VAR / "seed.json"
        subprocess.run(
            [PYTHON, "-m", "bench.seed", stage, str(out)],
            cwd=ROOT,
            env=self.env(port=8000, cache=True),
            check=True,
            timeout=900,
        )
        self.seed = json.loads(out.read_text())

    # --- setup ---------------------------------------------------------------------------

    def detect_services(self) -> None:
        try:
            import psycopg

            with psycopg.connect(POSTGRES_ADMIN, connect_timeout=3, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
                conn.execute(f"CREATE DATABASE {DB_NAME}")
                self.meta["postgres"] = conn.execute("SHOW server_version").fetchone()[0]
                self.meta["durability"] = {
                    "fsync": conn.execute("SHOW fsync").fetchone()[0],
                    "synchronous_commit": conn.execute("SHOW synchronous_commit").fetchone()[0],
                }
            self.postgres = True
        except Exception as exc:  # noqa: BLE001  (any failure means: use SQLite)
            self.notes["database"] = f"PostgreSQL not reachable ({exc.__class__.__name__})"
        try:
            import redis

            client = redis.Redis.from_url(REDIS, socket_connect_timeout=2)
            client.flushdb()
            self.redis = True
        except Exception as exc:  # noqa: BLE001
            self.notes["redis"] = f"Redis not reachable ({exc.__class__.__name__})"
        if self.postgres:
            parts = urllib.parse.urlsplit(POSTGRES_ADMIN)
            self.database_url = urllib.parse.urlunsplit(parts._replace(path=f"/{DB_NAME}"))
        else:
            sqlite = SITE_VAR / "bench.sqlite3"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{sqlite}{suffix}").unlink(missing_ok=True)
            self.database_url = f"sqlite:///{sqlite}"
        # Several workers need a shared cache and event broker; without Redis, one worker.
        self.workers = CORES if (self.postgres and self.redis) else 1
        self.meta.update(
            database="postgresql" if self.postgres else "sqlite",
            redis=self.redis,
            workers=self.workers,
        )
        if self.workers == 1 and CORES > 1:
            say(
                f"running ONE worker on {self.meta['database']}: "
                + "; ".join(v for k, v in self.notes.items() if k in ("database", "redis"))
            )

    def granian(self, port: int, target: str, workers: int = 0) -> list[str]:
        """The production server's command line (scripts/app-server: Granian with a backlog of
        4,096, room for the 1,000 open streams and the load); the ceiling case runs the same."""
        return [
            str(ROOT / "scripts" / "app-server"),
            "127.0.0.1",
            str(port),
            str(workers or self.workers),
            target,
        ]

    def start_app(self, *, cache: bool) -> None:
        label = "cached" if cache else "nocache"
        self.server, self.port = self.launch(label, cache=cache)

    def launch(
        self, label: str, *, cache: bool, workers: int = 0, **env
    ) -> tuple[subprocess.Popen, int]:
        """Broadsheet's production server on a port of its own, once it answers; ``env`` as for
        :meth:`env` (another database, another cache prefix)."""
        port = procs.free_port()
        workers = workers or self.workers
        server = procs.start(
            self.granian(port, "broadsheet.asgi:application", workers),
            env=self.env(port=port, cache=cache, **env),
            cwd=str(ROOT),
            log=LOGS / f"granian-{len(self.meta.setdefault('servers', [])) + 1}-{label}.log",
        )

        answering(server, port, "/api/v1/openapi.json", name="Granian")
        time.sleep(0.5)  # let every worker finish starting
        self.meta["servers"].append(label)
        say(f"server up ({label}, {workers} workers) on port {port}")
        return server, port

    def stop_app(self) -> None:
        if self.server is not None:
            procs.stop(self.server)
            self.server = None

    # --- measuring -----------------------------------------------------------------------

    def run_load(
        self, port: int, pid: int, path: str, *, script=None, make_request=None
    ) -> tuple[load.Load, float | None]:
        """Warm up, then measure; the peak RSS is the largest worker's during both.

        ``script(run)`` (wrk's Lua) and ``make_request(run, connection, n)`` (the asyncio
        generator's bytes) get the run's number, so POSTs of the warm-up and of the measured run
        never share an idempotency key."""
        pids = procs.workers(pid)
        procs.rss_reset(pids)
        others = procs.OtherWork()
        url = f"http://127.0.0.1:{port}{path}"
        if make_request is None:
            request = load.request_bytes(port, path)

            def make_request(_run, _n, _seq):
                return request

        def once(run: int, seconds: float) -> load.Load:
            if self.generator == "wrk":
                lua = script(run) if script else None
                return load.wrk_load(url, seconds=seconds, connections=CONNECTIONS, script=lua)
            return load.python_load(
                port,
                lambda n, seq: make_request(run, n, seq),
                seconds=seconds,
                connections=CONNECTIONS,
            )

        warm = once(0, WARMUP) if WARMUP > 0 else None
        result = once(1, SECONDS)
        result.answered = result.requests - result.errors
        if warm is not None:
            result.answered += warm.requests - warm.errors
        self.other_work(result, others)
        if self.server is not None and pid == self.server.pid:
            self.db_connections(result)
        return result, procs.rss_peak_mib(procs.workers(pid))

    def db_connections(self, result) -> None:
        """How many database connections the server holds after a case (PostgreSQL only)."""
        if not self.postgres:
            return
        import psycopg

        try:
            with psycopg.connect(POSTGRES_ADMIN, connect_timeout=5) as conn:
                count, limit = conn.execute(
                    "SELECT COUNT(*) FILTER (WHERE datname = %s), "
                    "current_setting('max_connections')::int FROM pg_stat_activity",
                    (DB_NAME,),
                ).fetchone()
        except psycopg.Error as exc:
            result.notes.append(f"PostgreSQL refused a connection ({str(exc).strip()[-60:]})")
            return
        peak = max(self.meta.get("db_connections_max", 0), count)
        self.meta["db_connections_max"] = peak
        if count >= 0.8 * limit:
            result.notes.append(f"{count} database connections open (max_connections {limit})")

    def other_work(self, result, others: procs.OtherWork) -> None:
        """Notes on a case whose machine was not the bench's alone: the hypervisor's steal, and
        other processes' CPU, each said when it reached 5% of all cores' time."""
        for share, said, key, worst_key, note in (
            (
                others.steal(),
                "the hypervisor took {:.0%} of the CPU (steal)",
                "steal",
                "steal_share_max",
                "this virtual machine's hypervisor took up to {:.0%} of its CPU during some cases "
                "(steal, counted by no process): those figures, and ratios to cases measured at "
                "other moments, are lower than the machine can do",
            ),
            (
                others.share(),
                "other processes used {:.0%} of the CPU",
                "machine",
                "other_cpu_share_max",
                "other processes used up to {:.0%} of the CPU during some cases: those figures are "
                "lower than this machine can do",
            ),
        ):
            if share is None or share < 0.05:
                continue
            result.notes.append(said.format(share))
            self.meta[worst_key] = round(max(self.meta.get(worst_key, 0), share), 2)
            self.notes[key] = note.format(self.meta[worst_key])

    def record(self, table: dict, name: str, result, rss: float | None, note: str = "") -> None:
        def number(value: float, digits: int) -> float | None:
            return None if math.isnan(value) else round(value, digits)

        table[name] = {
            "rps": number(result.rps, 1),
            "p50_ms": number(result.p50_ms, 2),
            "p99_ms": number(result.p99_ms, 2),
            "rss_mib": rss,
        }
        notes = [note] if note else []
        if getattr(result, "errors", 0):
            notes.append(f"{result.errors} errors of {result.requests}")
        notes += getattr(result, "notes", [])
        if notes:
            self.notes[name] = "; ".join(notes)
        say(
            f"{name}: {result.rps:,.0f}/s p50 {result.p50_ms:.1f} ms p99 {result.p99_ms:.1f} ms"
            + (f" ({'; '.join(notes)})" if notes else "")
        )

    def missing(self, table: dict, name: str, why: str) -> None:
        table[name] = {"rps": None, "p50_ms": None, "p99_ms": None, "rss_mib": None}
        self.notes[name] = f"n/a ({why})"
        say(f"{name}: n/a ({why})")

    @guarded()
    def get_case(self, name: str, path: str, *, expect=None, cache: bool | None = None) -> None:
        answer = load.fetch(self.port, path)
        if answer.status != 200:
            self.missing(self.results, name, f"GET {path} answered {answer.status}")
            return
        if expect is not None and (problem := expect(answer)):
            self.missing(self.results, name, problem)
            return
        result, rss = self.run_load(self.port, self.server.pid, path)
        note = f"{len(answer.body) / 1024:.0f} KiB"
        if cache is not None:
            state = load.fetch(self.port, path).headers.get("x-cache")
            if state is None:
                note += ", no X-Cache header"
            elif cache and state != "hit":
                note += f", X-Cache: {state} after warm-up"
            elif not cache and state == "hit":
                note += ", X-Cache: hit with caching off!"
            else:
                note += f", X-Cache: {state}"
        self.record(self.results, name, result, rss, note)

    def api_path(self, *, cursor: str | None = None) -> str:
        path = f"/api/v1/threads/comments?article={self.seed['article_1k']['id']}&limit=20"
        return path + (f"&cursor={urllib.parse.quote(cursor)}" if cursor else "")

    @staticmethod
    def twenty_comments(answer: load.Answer) -> str | None:
        data = json.loads(answer.body)
        if len(data.get("comments", [])) != 20:
            return f"expected 20 comments, got {len(data.get('comments', []))}"
        return None

    @guarded("api_page50_1k")
    def page50_case(self) -> None:
        cursor = self.page50_cursor()
        if not cursor:
            self.missing(self.results, "api_page50_1k", "no 50th page by cursor")
            return
        path = self.api_path(cursor=cursor)
        self.get_case("api_page50_1k", path, expect=self.twenty_comments, cache=False)

    @guarded("depth_pair", table="meta")
    def depth_pair_case(self) -> None:
        """The first page and page 50 asked alternately on the same connections, for the
        target that compares their p99s (the two cases above each ran on their own
        connections, split between the workers as the kernel happened to split them)."""
        cursor = self.page50_cursor()
        if not cursor:
            return
        paths = {"first_page": self.api_path(), "page50": self.api_path(cursor=cursor)}
        requests = {label: load.request_bytes(self.port, path) for label, path in paths.items()}
        load.paired_load(self.port, requests, seconds=WARMUP, connections=CONNECTIONS)
        measured = load.paired_load(self.port, requests, seconds=SECONDS, connections=CONNECTIONS)
        self.meta["depth_pair"] = {
            label: {
                "rps": round(result.rps, 1),
                "p50_ms": round(result.p50_ms, 2),
                "p99_ms": round(result.p99_ms, 2),
                "errors": result.errors,
            }
            for label, result in measured.items()
        }
        pair = self.meta["depth_pair"]
        say(
            "page 50 and the first page, alternated on the same connections: p99 "
            f"{pair['page50']['p99_ms']:.1f} ms and {pair['first_page']['p99_ms']:.1f} ms"
        )

    def small_site_keep(self) -> None:
        """A copy of the site as it is now (10,000 comments), for :meth:`site_pair_case`."""
        try:
            if self.postgres:
                import psycopg

                with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as conn:
                    conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME_10K} WITH (FORCE)")
                    conn.execute(f"CREATE DATABASE {DB_NAME_10K} TEMPLATE {DB_NAME}")
                parts = urllib.parse.urlsplit(self.database_url)
                self.small_site_url = urllib.parse.urlunsplit(
                    parts._replace(path=f"/{DB_NAME_10K}")
                )
            else:
                source = self.database_url.removeprefix("sqlite:///")
                copy = SITE_VAR / "bench-10k.sqlite3"
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{copy}{suffix}").unlink(missing_ok=True)
                with sqlite3.connect(source) as old, sqlite3.connect(copy) as new:
                    old.backup(new)
                self.small_site_url = f"sqlite:///{copy}"
        except Exception as exc:  # noqa: BLE001  (the pair is left out; the rest goes on)
            self.notes["site_pair"] = f"no copy of the 10,000-comment site: {exc}"[:200]

    def small_site_drop(self) -> None:
        if self.postgres and self.small_site_url:
            import psycopg

            with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME_10K} WITH (FORCE)")
        elif self.small_site_url:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.small_site_url.removeprefix('sqlite:///')}{suffix}").unlink(
                    missing_ok=True
                )

    @guarded("site_pair", table="meta")
    def site_pair_case(self) -> None:
        """The API's first page from the 1,000,000-comment site and from the copy kept when the
        site had 10,000, asked alternately on the same connections at the same moments: the two
        cases above ran minutes apart, and on a busy machine their p99s differ by more than the
        target's margin from one run to the next whatever the site holds."""
        if not self.small_site_url:
            return
        # A server with half the workers for each site, so that together they run as many
        # processes as the cores, as the other cases do.
        workers = max(1, self.workers // 2)
        servers = {
            label: self.launch(
                f"nocache-{label}",
                cache=False,
                workers=workers,
                database_url=url,
                cache_prefix=f"bench-{label}",
            )
            for label, url in (("site_1m", self.database_url), ("site_10k", self.small_site_url))
        }
        try:
            ports = {label: port for label, (_server, port) in servers.items()}
            requests = {
                label: load.request_bytes(site_port, self.api_path())
                for label, site_port in ports.items()
            }
            for label, site_port in ports.items():
                problem = self.twenty_comments(load.fetch(site_port, self.api_path()))
                if problem:
                    raise RuntimeError(f"{label}: {problem}")
            load.paired_load(ports, requests, seconds=WARMUP, connections=CONNECTIONS)
            measured = load.paired_load(ports, requests, seconds=SECONDS, connections=CONNECTIONS)
        finally:
            for server, _port in servers.values():
                procs.stop(server)
            self.small_site_drop()
        self.meta["site_pair"] = {
            label: {
                "rps": round(result.rps, 1),
                "p50_ms": round(result.p50_ms, 2),
                "p99_ms": round(result.p99_ms, 2),
                "errors": result.errors,
            }
            for label, result in measured.items()
        }
        pair = self.meta["site_pair"]
        say(
            "the first page from the 1M-comment and the 10k-comment site, alternated: p99 "
            f"{pair['site_1m']['p99_ms']:.1f} ms and {pair['site_10k']['p99_ms']:.1f} ms"
        )

    def page50_cursor(self) -> str | None:
        cursor = None
        for _ in range(49):
            data = json.loads(load.fetch(self.port, self.api_path(cursor=cursor)).body)
            cursor = data.get("next_cursor")
            if not cursor:
                return None
        return cursor

    def site_comments(self) -> int:
        return int(self.seed.get("site_comments", 0))

    def count_comments(self, thread_id: int) -> tuple[int, int]:
        sql = (
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN status = 'published' THEN 1 ELSE 0 END), "
            "0) FROM discussion_comment WHERE thread_id = %s"
        )
        if self.postgres:
            import psycopg

            with psycopg.connect(self.database_url, autocommit=True) as conn:
                return tuple(conn.execute(sql, (thread_id,)).fetchone())
        with sqlite3.connect(self.database_url.removeprefix("sqlite:///")) as conn:
            return tuple(conn.execute(sql.replace("%s", "?"), (thread_id,)).fetchone())

    def form_credentials(self, url: str, *, port: int = 0) -> tuple[str, str]:
        """(Cookie header, CSRF form token) for the bench's guest, from the article page (on
        ``port``, else the server the cases are running on)."""
        answer = load.fetch(port or self.port, url)
        csrf_cookie = answer.cookies.get("csrftoken")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', answer.body)
        token = match.group(1).decode() if match else None
        if not csrf_cookie or not token:
            # Django accepts the unmasked secret as the form token too.
            csrf_cookie = token = secrets.token_hex(16)
        guest = self.seed["guest_cookie"]
        return f"csrftoken={csrf_cookie}; {guest['name']}={guest['value']}", token

    @guarded("article_page_10k_live")
    def live_case(self) -> None:
        """The 10k-comment thread's page read under load while comments keep arriving: every
        new comment makes the cached page stale, so this measures re-rendering under readers."""
        name, target = "article_page_10k_live", self.seed["article_10k"]
        cookie, token = self.form_credentials(target["url"])
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
        prefix = secrets.token_hex(4)
        stop = threading.Event()
        outcomes: list[int] = []

        def writer() -> None:
            while not stop.is_set():
                began = time.monotonic()
                body = load.form_post_body(token, f"{prefix}live{len(outcomes)}")
                try:
                    answer = load.fetch(
                        self.port, target["url"], method="POST", headers=headers, body=body
                    )
                    outcomes.append(answer.status)
                except OSError:
                    outcomes.append(0)
                stop.wait(max(0.0, 1 / LIVE_RATE - (time.monotonic() - began)))

        posting = threading.Thread(target=writer, name="bench-live-writer", daemon=True)
        posting.start()
        try:
            result, rss = self.run_load(self.port, self.server.pid, target["url"])
        finally:
            stop.set()
            posting.join(timeout=30)
        saved = sum(status == 302 for status in outcomes)
        note = f"{saved} of {len(outcomes)} comments posted meanwhile were saved"
        self.record(self.results, name, result, rss, note)

    @guarded("article_page_10k_gzip")
    def gzip_case(self, path: str) -> None:
        """The warm article page as a browser asks for it: gzipped, with its token in place."""
        headers = {"Accept-Encoding": "gzip"}
        answer = load.fetch(self.port, path, headers=headers)
        if answer.headers.get("content-encoding") != "gzip":
            self.missing(self.results, "article_page_10k_gzip", "the page came uncompressed")
            return
        plain = len(gzip.decompress(answer.body))
        request = load.request_bytes(self.port, path, headers=headers)
        lua = 'wrk.headers["Accept-Encoding"] = "gzip"\n'
        result, rss = self.run_load(
            self.port,
            self.server.pid,
            path,
            make_request=lambda _run, _n, _seq: request,
            script=lambda _run: lua,
        )
        note = f"{len(answer.body) / 1024:.0f} KiB gzipped ({plain / 1024:.0f} KiB unpacked)"
        self.record(self.results, "article_page_10k_gzip", result, rss, note)

    @guarded("comment_post")
    def post_case(self) -> None:
        target = self.seed["post_target"]
        cookie, token = self.form_credentials(target["url"])
        prefix = secrets.token_hex(4)
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
        check = load.fetch(
            self.port,
            target["url"],
            method="POST",
            headers=headers,
            body=load.form_post_body(token, f"{prefix}check"),
        )
        if check.status != 302:
            self.missing(self.results, "comment_post", f"POST answered {check.status}")
            return
        before_all, before_published = self.count_comments(target["thread_id"])

        def make_request(run: int, n: int, seq: int) -> bytes:
            return load.request_bytes(
                self.port,
                target["url"],
                method="POST",
                headers=headers,
                body=load.form_post_body(token, f"{prefix}r{run}c{n}n{seq}"),
            )

        result, rss = self.run_load(
            self.port,
            self.server.pid,
            target["url"],
            make_request=make_request,
            script=lambda run: load.form_post_lua(target["url"], cookie, token, f"{prefix}w{run}x"),
        )
        after_all, after_published = self.count_comments(target["thread_id"])
        saved, published = after_all - before_all, after_published - before_published
        self.record(
            self.results,
            "comment_post",
            result,
            rss,
            f"{saved:,} saved, {published:,} published; {result.answered:,} answered in time "
            "(posts in flight when a run ends are saved, not counted)",
        )

    @guarded("sse_delivery_1000")
    def sse_case(self) -> None:
        target = self.seed["sse_target"]
        stream_path = f"/discussion/threads/{target['thread_id']}/events/"
        status = load.probe_status(self.port, stream_path)
        if status != 200:
            self.missing(
                self.results,
                "sse_delivery_1000",
                "endpoint missing" if status == 404 else f"stream answered {status}",
            )
            return
        cookie, token = self.form_credentials(target["url"])
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
        prefix = secrets.token_hex(4)
        pids = procs.workers(self.server.pid)
        procs.rss_reset(pids)
        others = procs.OtherWork()
        try:
            result = load.sse_delivery(
                self.port,
                stream_path,
                target["url"],
                headers,
                lambda n: load.form_post_body(token, f"{prefix}sse{n}"),
                streams=SSE_STREAMS,
                posts=20,
                wait=5.0,
            )
        except load.EndpointMissing as exc:
            self.missing(self.results, "sse_delivery_1000", str(exc))
            return
        rss = procs.rss_peak_mib(procs.workers(self.server.pid))
        self.other_work(result, others)
        self.record(
            self.results,
            "sse_delivery_1000",
            result,
            rss,
            f"{result.streams} streams x {result.posts} comments",
        )

    # --- the run -------------------------------------------------------------------------

    def run(self) -> None:
        VAR.mkdir(parents=True, exist_ok=True)
        LOGS.mkdir(parents=True, exist_ok=True)
        tools: dict = {}
        isso: dict = {}
        tools_thread = threading.Thread(target=lambda: tools.update(ensure_tools()), daemon=True)
        isso_thread = threading.Thread(target=lambda: isso.update(isso_install()), daemon=True)
        tools_thread.start()
        if not os.environ.get("BENCH_NO_ISSO"):
            isso_thread.start()

        say("fresh database, migrations, static files ...")
        self.detect_services()
        static = subprocess.Popen(
            [PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"],
            cwd=ROOT,
            env=self.env(port=8000, cache=True),
        )
        self.manage("migrate", "--no-input", "-v0")
        if static.wait(timeout=300) != 0:
            raise RuntimeError("collectstatic failed")
        self.mark("setup")

        say("seeding the 10,000-comment site ...")
        self.seed_stage("small")
        say(f"  {self.site_comments():,} comments in {self.seed['seconds']} s")
        self.small_site_keep()
        self.mark("seed 10k")

        tools_thread.join(timeout=300)
        if isso_thread.is_alive():
            isso_thread.join(timeout=300)  # nothing else may use the CPU while measuring
        self.generator = "wrk" if "wrk" in tools.get("available", ()) else "python"
        if os.environ.get("BENCH_GENERATOR") == "python":
            self.generator = "python"
        self.meta["generator"] = self.generator
        if tools.get("note"):
            self.notes["tools"] = tools["note"]
        say(f"load generator: {self.generator}")

        self.start_app(cache=False)
        first_page = self.api_path()
        self.get_case(
            "api_first_page_1k_10k_site", first_page, expect=self.twenty_comments, cache=False
        )
        self.mark("10k-site case")

        # The server stops while the seeder works: it must not hold connections the seeder needs.
        self.stop_app()
        say(f"seeding up to {SITE_COMMENTS:,} comments site-wide ...")
        self.seed_stage("large")
        say(f"  {self.site_comments():,} comments in {self.seed['large_seconds']} s")
        self.mark("seed 1M")
        self.start_app(cache=False)
        self.get_case(
            "api_first_page_1k_nocache", first_page, expect=self.twenty_comments, cache=False
        )
        self.page50_case()
        self.depth_pair_case()
        self.get_case(
            "api_first_page_1k_1m_site", first_page, expect=self.twenty_comments, cache=False
        )
        self.stop_app()
        self.site_pair_case()
        self.mark("caching-off cases")

        self.start_app(cache=True)
        article = self.seed["article_10k"]["url"]
        self.get_case("article_page_10k_warm", article, cache=True)
        with contextlib.suppress(OSError):
            self.article_bytes = load.fetch(self.port, article).body
        self.gzip_case(article)
        self.live_case()
        self.get_case("api_first_page_1k_warm", first_page, expect=self.twenty_comments, cache=True)
        with contextlib.suppress(OSError):
            self.api_bytes = load.fetch(self.port, first_page).body
        ids = ",".join(str(i) for i in self.seed["count_ids"])
        self.get_case("counts_20", f"/api/v1/articles/comment-counts?ids={ids}", cache=True)
        self.post_case()
        self.sse_case()
        self.stop_app()
        self.mark("cached cases")

        if os.environ.get("BENCH_NO_ISSO"):
            for name in ("isso_first_page_1k", "isso_post"):
                self.missing(self.peers, name, "BENCH_NO_ISSO set")
        else:
            isso_thread.join(timeout=600)
            self.isso_cases(isso)
        self.mark("isso")
        self.nginx_case("nginx" in tools.get("available", ()))
        self.mark("nginx")
        self.ceiling_case()
        self.mark("granian alone")
        self.floor_case()
        self.mark("django alone")
        self.article_pair_case("nginx" in tools.get("available", ()))
        self.mark("article pair")
        if not os.environ.get("BENCH_NO_ISSO"):
            self.isso_turns_case(isso)
            self.post_turns_case(isso)
            self.mark("isso turns")

    def mark(self, phase: str) -> None:
        self.meta.setdefault("phases", {})[phase] = round(time.monotonic() - self.started, 1)

    # --- peers ---------------------------------------------------------------------------

    @guarded("isso_first_page_1k", "isso_post", table="peers")
    def isso_cases(self, isso: dict) -> None:
        if not isso.get("python"):
            for name in ("isso_first_page_1k", "isso_post"):
                self.missing(self.peers, name, isso.get("note", "Isso not installed"))
            return
        self.meta["isso_version"] = isso.get("version")
        self.meta["isso_python"] = isso.get("interpreter")
        say(f"Isso {isso.get('version', '')} ...")
        directory = VAR / "isso"
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
        port = procs.free_port()
        config = directory / "isso.cfg"
        config.write_text(
            "[general]\n"
            f"dbpath = {directory / 'comments.db'}\n"
            f"host = http://127.0.0.1:{port}/\n"
            "[moderation]\nenabled = false\n"
            "[guard]\nenabled = false\n"
            f"[server]\nlisten = http://127.0.0.1:{port}/\n"
        )
        subprocess.run(
            [isso["python"], str(ROOT / "bench" / "isso_seed.py"), str(config)],
            check=True,
            timeout=120,
        )
        server = self.isso_start(isso, config, port)
        try:
            page = ISSO_FIRST_PAGE
            answer = load.fetch(port, page)
            shown = len(json.loads(answer.body).get("replies", []))
            result, rss = self.run_load(port, server.pid, page)
            self.record(
                self.peers,
                "isso_first_page_1k",
                result,
                rss,
                f"{shown} comments, {len(answer.body) / 1024:.0f} KiB",
            )

            post = "/new?uri=%2Fbench-post%2F"
            prefix = secrets.token_hex(4)
            headers = {"Content-Type": "application/json"}
            check = load.fetch(
                port,
                post,
                method="POST",
                headers=headers,
                body=load.json_post_body(f"{prefix}check"),
            )
            if check.status != 201:
                self.missing(self.peers, "isso_post", f"POST answered {check.status}")
                return

            def make_request(run: int, n: int, seq: int) -> bytes:
                return load.request_bytes(
                    port,
                    post,
                    method="POST",
                    headers=headers,
                    body=load.json_post_body(f"{prefix}r{run}c{n}n{seq}"),
                )

            result, rss = self.run_load(
                port,
                server.pid,
                post,
                make_request=make_request,
                script=lambda run: load.json_post_lua(post, f"{prefix}w{run}x"),
            )
            self.record(self.peers, "isso_post", result, rss, "SQLite, commit per comment")
        finally:
            procs.stop(server)

    def isso_start(self, isso: dict, config: Path, port: int) -> subprocess.Popen:
        """Isso under gunicorn, a worker per core, on ``config`` (seeded), once it answers."""
        gunicorn = str(Path(isso["python"]).parent / "gunicorn")
        server = procs.start(
            [
                gunicorn,
                "--workers",
                str(CORES),
                "--bind",
                f"127.0.0.1:{port}",
                "--preload",
                "--log-level",
                "warning",
                "isso.run",
            ],
            env={**os.environ, "ISSO_SETTINGS": str(config)},
            cwd=str(config.parent),
            log=LOGS / "isso.log",
        )
        try:
            answering(server, port, ISSO_FIRST_PAGE, name="Isso", status=200)
        except BaseException:
            procs.stop(server)
            raise
        return server

    @guarded("isso_turns", table="meta")
    def isso_turns_case(self, isso: dict) -> None:
        """The API's first page with caching off, the same page warm, and Isso's first page,
        the three servers up at once and loaded in turns (``PAIR_ROUNDS`` rounds of
        ``PAIR_SLICE`` seconds, the order turning each round): for the two targets that compare
        the page with Isso's.

        Measured minutes apart, the cases compared whatever speed the machine had at each
        moment: on one machine, back-to-back 8-second runs of the uncached page and Isso's read
        the ratio anywhere from 11.0x to 13.7x within five minutes, and one whole run measured
        Isso at 104 a second on its own and at 81 to 87 in turns a few minutes later.
        """
        config = VAR / "isso" / "isso.cfg"
        if not isso.get("python") or not config.exists() or self.generator != "wrk":
            return
        port = int(re.search(r"listen = http://127\.0\.0\.1:(\d+)/", config.read_text())[1])
        first_page = f"/api/v1/threads/comments?article={self.seed['article_1k']['id']}&limit=20"
        with procs.stopped_after() as started:
            nocache, nocache_port = self.launch("nocache-turns", cache=False)
            started.append(nocache)
            warm, warm_port = self.launch("cached-turns", cache=True, cache_prefix="turns")
            started.append(warm)
            started.append(self.isso_start(isso, config, port))
            load.fetch(warm_port, first_page)  # the cache's copy
            hit = load.fetch(warm_port, first_page).headers.get("x-cache")
            turns = self.in_turns(
                {
                    "broadsheet_nocache": f"http://127.0.0.1:{nocache_port}{first_page}",
                    "broadsheet_warm": f"http://127.0.0.1:{warm_port}{first_page}",
                    "isso": f"http://127.0.0.1:{port}{ISSO_FIRST_PAGE}",
                },
                "the API's first page uncached and warm, and Isso's first page",
            )
        self.meta["isso_turns"] = {**turns, "warm_x_cache": hit}

    @guarded("post_turns", table="meta")
    def post_turns_case(self, isso: dict) -> None:
        """A guest's comment posted to Broadsheet's article form and Isso's ``POST /new``, both
        servers up at once and loaded in turns, as for the first pages: the POST target's row.

        The two POST cases run minutes apart, and the machine's speed moves between them: in
        one session Broadsheet's POST case read 328, 264 and 411 a second in three runs of the
        same code, while posting alternately to old and new code on one database told them
        apart every time."""
        config = VAR / "isso" / "isso.cfg"
        if not isso.get("python") or not config.exists() or self.generator != "wrk":
            return
        port = int(re.search(r"listen = http://127\.0\.0\.1:(\d+)/", config.read_text())[1])
        target = self.seed["post_target"]
        isso_post = "/new?uri=%2Fbench-post%2F"
        prefix = secrets.token_hex(4)
        with procs.stopped_after() as started:
            server, app_port = self.launch("post-turns", cache=True, cache_prefix="post-turns")
            started.append(server)
            started.append(self.isso_start(isso, config, port))
            cookie, token = self.form_credentials(target["url"], port=app_port)
            before, _ = self.count_comments(target["thread_id"])
            # The article's form is the target's row; the same comment as JSON to the API
            # (as Isso's is posted) is measured in the same turns, for comparison.
            turns = self.in_turns(
                {
                    "broadsheet": f"http://127.0.0.1:{app_port}{target['url']}",
                    "broadsheet_api": f"http://127.0.0.1:{app_port}/api/v1/comments",
                    "isso": f"http://127.0.0.1:{port}{isso_post}",
                },
                "a comment posted to Broadsheet (its form, then its API) and to Isso",
                scripts={
                    "broadsheet": lambda n: load.form_post_lua(
                        target["url"], cookie, token, f"{prefix}t{n}x"
                    ),
                    "broadsheet_api": lambda n: load.api_post_lua(
                        target["id"], cookie, token, f"{prefix}a{n}x"
                    ),
                    "isso": lambda n: load.json_post_lua(isso_post, f"{prefix}t{n}x"),
                },
            )
            after, _ = self.count_comments(target["thread_id"])
        self.meta["post_turns"] = {**turns, "broadsheet_saved": after - before}

    @staticmethod
    def in_turns(
        urls: dict[str, str], what: str, scripts: dict[str, Callable[[int], str]] | None = None
    ) -> dict[str, Any]:
        """Each of ``urls`` (label: URL) loaded with wrk in turns, ``PAIR_ROUNDS`` rounds of
        ``PAIR_SLICE`` seconds, the order turning each round, after a second's warm-up each;
        printed, and returned as each label's mean req/s, its turns and its errors, with the
        share of all cores' time the hypervisor took (``steal_share``) and other processes used
        (``other_cpu_share``) over the turns.

        ``scripts`` gives a label wrk's Lua for each run (its number: 0 the warm-up, then each
        turn), so that POSTs of different runs never repeat one another."""
        scripts = scripts or {}

        def run(label: str, number: int, seconds: float) -> load.Load:
            script = scripts[label](number) if label in scripts else None
            return load.wrk_load(
                urls[label], seconds=seconds, connections=CONNECTIONS, script=script
            )

        for label in urls:  # every worker of each has answered before measuring
            run(label, 0, 1)
        labels = list(urls)
        turns: dict[str, list[load.Load]] = {label: [] for label in labels}
        others = procs.OtherWork()
        for at in range(PAIR_ROUNDS):
            shift = at % len(labels)
            for label in labels[shift:] + labels[:shift]:
                turns[label].append(run(label, at + 1, PAIR_SLICE))
        summary = {
            label: {
                "rps": round(sum(run.rps for run in runs) / len(runs), 1),
                "turns": [round(run.rps) for run in runs],
                "errors": sum(run.errors for run in runs),
            }
            for label, runs in turns.items()
        }
        said = []
        for label, figures in summary.items():
            each = ", ".join(f"{value:,}" for value in figures["turns"])
            said.append(f"{label} {figures['rps']:,.0f}/s ({each})")
        # Said on every line, as a ratio in turns is read against the run's own: one run read the
        # uncached page at 867 a second in turns against 1,764 in its own case minutes before,
        # and 1,829 in turns when the same case was run again alone; without these two figures
        # nothing said whether the machine or the code was slower then.
        stolen, other = others.steal(), others.share()
        if stolen is not None:
            said.append(f"steal {stolen:.0%}")
        said.append(f"other processes {other:.0%}")
        say(f"{what} in turns: " + "; ".join(said))
        return {
            **summary,
            "steal_share": None if stolen is None else round(stolen, 3),
            "other_cpu_share": round(other, 3),
        }

    @guarded("nginx_article_static", table="peers")
    def nginx_case(self, installed: bool) -> None:
        name = "nginx_article_static"
        nginx = procs.which("nginx")
        if not (installed and nginx):
            self.missing(self.peers, name, self.notes.get("tools") or "nginx not installed")
            return
        if not self.article_bytes:
            self.missing(self.peers, name, "no article page to serve")
            return
        server, port = self.nginx_start(nginx, {"article.html": self.article_bytes})
        try:
            result, rss = self.run_load(port, server.pid, "/article.html")
            self.record(
                self.peers, name, result, rss, f"{len(self.article_bytes) / 1024:.0f} KiB file"
            )
        finally:
            procs.stop(server)

    def nginx_start(self, nginx: str, files: dict[str, bytes]) -> tuple[subprocess.Popen, int]:
        """nginx serving ``files`` (name: bytes) from a root of its own, once it answers."""
        directory = VAR / "nginx"
        shutil.rmtree(directory, ignore_errors=True)
        (directory / "root").mkdir(parents=True)
        for filename, body in files.items():
            (directory / "root" / filename).write_bytes(body)
        port = procs.free_port()
        (directory / "nginx.conf").write_text(
            f"worker_processes {CORES};\n"
            f"pid {directory / 'nginx.pid'};\n"
            "daemon off;\n"
            "events { worker_connections 4096; }\n"
            "http {\n"
            "  access_log off;\n"
            "  sendfile on; tcp_nopush on; tcp_nodelay on;\n"
            "  keepalive_requests 1000000;\n"
            "  types { text/html html; }\n"
            f"  server {{ listen 127.0.0.1:{port}; root {directory / 'root'}; }}\n"
            "}\n"
        )
        server = procs.start(
            [
                nginx,
                "-p",
                str(directory),
                "-e",
                str(directory / "error.log"),
                "-c",
                str(directory / "nginx.conf"),
            ],
            env=dict(os.environ),
            log=LOGS / "nginx.log",
        )
        answering(server, port, f"/{next(iter(files))}", name="nginx", status=200, timeout=30)
        return server, port

    @guarded("article_pair", table="meta")
    def article_pair_case(self, installed: bool) -> None:
        """The cached article page, nginx serving its bytes and Granian alone serving them, all
        three up at once and loaded in turns (``PAIR_ROUNDS`` rounds of ``PAIR_SLICE`` seconds
        each, as long as every other case's run, the order turning each round): for the target
        that compares the page with nginx.

        nginx's own figure moves a lot from one run to the next on these machines (on one, 13,000
        to 22,000 a second in back-to-back 3-second runs, while Broadsheet and Granian alone
        stayed within 5%), so one 8-second run of each, minutes apart, compared whatever moment
        nginx happened to be measured at. Here each gets the mean of its turns, taken over the
        same minutes.
        """
        nginx = procs.which("nginx")
        if not (installed and nginx) or self.generator != "wrk":
            return
        article = self.seed["article_10k"]["url"]
        with procs.stopped_after() as started:
            ours, ours_port = self.launch("cached-pair", cache=True)
            started.append(ours)
            body = load.fetch(ours_port, article).body  # the page as it is now; also cached
            web, web_port = self.nginx_start(nginx, {"article.html": body})
            started.append(web)
            directory = VAR / "static-pair"
            shutil.rmtree(directory, ignore_errors=True)
            directory.mkdir(parents=True)
            (directory / "article.html").write_bytes(body)
            alone, alone_port = self.static_start(directory)
            started.append(alone)
            self.meta["article_pair"] = self.in_turns(
                {
                    "broadsheet": f"http://127.0.0.1:{ours_port}{article}",
                    "nginx": f"http://127.0.0.1:{web_port}/article.html",
                    "granian_alone": f"http://127.0.0.1:{alone_port}/article.html",
                },
                "article page, nginx and Granian alone",
            )

    @guarded("granian_static_article", "granian_static_api", table="peers")
    def ceiling_case(self) -> None:
        """Granian with a trivial app serving the bytes Broadsheet served: the server's own
        ceiling, which no layer running inside it can pass."""
        files = {
            "granian_static_article": ("article.html", self.article_bytes),
            "granian_static_api": ("api.json", self.api_bytes),
        }
        directory = VAR / "static-app"
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
        for name, (filename, body) in files.items():
            if body:
                (directory / filename).write_bytes(body)
            else:
                self.missing(self.peers, name, "nothing served to copy")
        server, port = self.static_start(directory)
        try:
            for name, (filename, body) in files.items():
                if body:
                    result, rss = self.run_load(port, server.pid, f"/{filename}")
                    self.record(
                        self.peers, name, result, rss, f"{len(body) / 1024:.0f} KiB, same command"
                    )
        finally:
            procs.stop(server)

    def static_start(self, directory: Path) -> tuple[subprocess.Popen, int]:
        """Granian alone (bench/static_app.py) serving the files of ``directory``."""
        port = procs.free_port()
        server = procs.start(
            self.granian(port, "bench.static_app:app"),
            env={**os.environ, "BENCH_STATIC_DIR": str(directory)},
            cwd=str(ROOT),
            log=LOGS / "granian-static.log",
        )

        answering(server, port, "/", name="Granian alone", status=404, timeout=30)
        time.sleep(0.5)  # let every worker finish starting
        return server, port

    def sql(self, statement: str) -> tuple | None:
        """Run one statement on the bench's database; its first row, if it has one."""
        if self.postgres:
            import psycopg

            with psycopg.connect(self.database_url, autocommit=True) as conn:
                cursor = conn.execute(statement)
                return cursor.fetchone() if cursor.description else None
        with sqlite3.connect(self.database_url.removeprefix("sqlite:///")) as conn:
            return conn.execute(statement).fetchone()

    @guarded("django_floor_api", "django_floor_post", table="peers")
    def floor_case(self) -> None:
        """Django with nothing in its views (bench/floor_app.py), under the same command, on the
        same thread pool and database: the most any Django view can answer here, so the table
        can say how much of each uncached case's time is Django's own."""
        if not self.api_bytes:
            for name in ("django_floor_api", "django_floor_post"):
                self.missing(self.peers, name, "no API answer to copy")
            return
        directory = VAR / "floor-app"
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
        (directory / "api.json").write_bytes(self.api_bytes)
        self.sql(
            "CREATE TABLE IF NOT EXISTS bench_floor_comment (id "
            + ("bigserial PRIMARY KEY" if self.postgres else "integer PRIMARY KEY AUTOINCREMENT")
            + ", author_name text NOT NULL, body text NOT NULL, created_at timestamp NOT NULL)"
        )
        port = procs.free_port()
        env = {**self.env(port=port, cache=False), "BENCH_STATIC_DIR": str(directory)}
        env.pop("DJANGO_SETTINGS_MODULE")
        server = procs.start(
            self.granian(port, "bench.floor_app:application"),
            env=env,
            cwd=str(ROOT),
            log=LOGS / "granian-floor.log",
        )
        try:
            answering(server, port, "/api.json", name="the floor app", status=200)
            time.sleep(0.5)  # let every worker finish starting
            result, rss = self.run_load(port, server.pid, "/api.json")
            self.record(
                self.peers,
                "django_floor_api",
                result,
                rss,
                f"{len(self.api_bytes) / 1024:.0f} KiB from a view, no query",
            )
            # Django takes the unmasked CSRF secret as the form's token too.
            secret = secrets.token_hex(16)
            cookie = f"csrftoken={secret}"
            headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
            prefix = secrets.token_hex(4)
            check = load.fetch(
                port,
                "/comment",
                method="POST",
                headers=headers,
                body=load.form_post_body(secret, f"{prefix}check"),
            )
            if check.status != 302:
                self.missing(self.peers, "django_floor_post", f"POST answered {check.status}")
                return
            before = self.sql("SELECT COUNT(*) FROM bench_floor_comment")[0]

            def make_request(run: int, n: int, seq: int) -> bytes:
                return load.request_bytes(
                    port,
                    "/comment",
                    method="POST",
                    headers=headers,
                    body=load.form_post_body(secret, f"{prefix}r{run}c{n}n{seq}"),
                )

            result, rss = self.run_load(
                port,
                server.pid,
                "/comment",
                make_request=make_request,
                script=lambda run: load.form_post_lua(
                    "/comment", cookie, secret, f"{prefix}w{run}x"
                ),
            )
            saved = self.sql("SELECT COUNT(*) FROM bench_floor_comment")[0] - before
            self.record(
                self.peers,
                "django_floor_post",
                result,
                rss,
                f"CSRF, one INSERT committed, 302; {saved:,} saved",
            )
        finally:
            procs.stop(server)

    # --- report --------------------------------------------------------------------------

    def targets(self) -> list[dict]:
        r, p = self.results, self.peers

        def get(table, case, key):
            value = (table.get(case) or {}).get(key)
            return value if isinstance(value, (int, float)) else None

        def ratio(a, b):
            return a / b if a is not None and b else None

        rows = []

        def target(label, value, goal, ok, unit="x"):
            rows.append(
                {
                    "target": label,
                    "value": None if value is None else round(value, 2),
                    "goal": goal,
                    "unit": unit,
                    "met": None if value is None or ok is None else bool(ok(value)),
                }
            )

        isso_get = get(p, "isso_first_page_1k", "rps")
        isso_turns = self.meta.get("isso_turns") or {}

        def in_turns(label):
            return (isso_turns.get(label) or {}).get("rps")

        target(
            "API first page warm / Isso (turns)",
            ratio(in_turns("broadsheet_warm"), in_turns("isso")),
            ">= 250",
            lambda v: v >= 250,
        )
        target(
            "the same from the two cases' own runs",
            ratio(get(r, "api_first_page_1k_warm", "rps"), isso_get),
            "(unpaired)",
            None,
        )
        target(
            "API first page warm p99",
            get(r, "api_first_page_1k_warm", "p99_ms"),
            "< 20",
            lambda v: v < 20,
            "ms",
        )
        target(
            "API first page caching off / Isso (turns)",
            ratio(in_turns("broadsheet_nocache"), in_turns("isso")),
            ">= 15",
            lambda v: v >= 15,
        )
        target(
            "the same from the two cases' own runs",
            ratio(get(r, "api_first_page_1k_nocache", "rps"), isso_get),
            "(unpaired)",
            None,
        )
        post_turns = self.meta.get("post_turns") or {}
        target(
            "comment POST / Isso POST (turns)",
            ratio(
                (post_turns.get("broadsheet") or {}).get("rps"),
                (post_turns.get("isso") or {}).get("rps"),
            ),
            ">= 1.5",
            lambda v: v >= 1.5,
        )
        target(
            "the same from the two cases' own runs",
            ratio(get(r, "comment_post", "rps"), get(p, "isso_post", "rps")),
            "(unpaired)",
            None,
        )
        target(
            "comment POST as JSON to the API / Isso POST (turns)",
            ratio(
                (post_turns.get("broadsheet_api") or {}).get("rps"),
                (post_turns.get("isso") or {}).get("rps"),
            ),
            "(not a target)",
            None,
        )
        turns = self.meta.get("article_pair") or {}
        target(
            "article page warm / nginx static (turns)",
            ratio(
                (turns.get("broadsheet") or {}).get("rps"), (turns.get("nginx") or {}).get("rps")
            ),
            ">= 0.5",
            lambda v: v >= 0.5,
        )
        target(
            "the same from the two cases' own runs",
            ratio(get(r, "article_page_10k_warm", "rps"), get(p, "nginx_article_static", "rps")),
            "(unpaired)",
            None,
        )
        pair = self.meta.get("depth_pair") or {}
        target(
            "page 50 p99 / first page p99 (paired, no cache)",
            ratio(
                (pair.get("page50") or {}).get("p99_ms"),
                (pair.get("first_page") or {}).get("p99_ms"),
            ),
            "<= 1.2",
            lambda v: v <= 1.2,
        )
        target(
            "the same from the two cases' own runs",
            ratio(get(r, "api_page50_1k", "p99_ms"), get(r, "api_first_page_1k_nocache", "p99_ms")),
            "(unpaired)",
            None,
        )
        sites = self.meta.get("site_pair") or {}
        target(
            "first page p99, 1M site / 10k site (paired)",
            ratio(
                (sites.get("site_1m") or {}).get("p99_ms"),
                (sites.get("site_10k") or {}).get("p99_ms"),
            ),
            "<= 1.2",
            lambda v: v <= 1.2,
        )
        target(
            "the same from the two cases' own runs",
            ratio(
                get(r, "api_first_page_1k_1m_site", "p99_ms"),
                get(r, "api_first_page_1k_10k_site", "p99_ms"),
            ),
            "(unpaired)",
            None,
        )
        target(
            "SSE POST-to-delivery p99",
            get(r, "sse_delivery_1000", "p99_ms"),
            "< 1000",
            lambda v: v < 1000,
            "ms",
        )
        # Not targets of the issue: how much of the cached page's speed is left while comments
        # keep arriving, and how close the cache layer comes to the server it runs in.
        target(
            "article page with new comments / without",
            ratio(get(r, "article_page_10k_live", "rps"), get(r, "article_page_10k_warm", "rps")),
            f"({LIVE_RATE:g}/s)",
            None,
        )
        target(
            "article page warm / Granian alone (turns)",
            ratio(
                (turns.get("broadsheet") or {}).get("rps"),
                (turns.get("granian_alone") or {}).get("rps"),
            ),
            "(ceiling)",
            None,
        )
        target(
            "article page warm / Granian alone, same bytes",
            ratio(get(r, "article_page_10k_warm", "rps"), get(p, "granian_static_article", "rps")),
            "(ceiling)",
            None,
        )
        target(
            "API first page warm / Granian alone, same bytes",
            ratio(get(r, "api_first_page_1k_warm", "rps"), get(p, "granian_static_api", "rps")),
            "(ceiling)",
            None,
        )
        # What Django alone allows, measured in the same run: the uncached API answer and the
        # comment POST can be no faster than a Django view that does nothing (or one INSERT).
        target(
            "Django alone (no query) / Isso first page",
            ratio(get(p, "django_floor_api", "rps"), isso_get),
            "(ceiling)",
            None,
        )
        target(
            "API first page caching off / Django alone",
            ratio(get(r, "api_first_page_1k_nocache", "rps"), get(p, "django_floor_api", "rps")),
            "(ceiling)",
            None,
        )
        target(
            "Django alone (one INSERT) / Isso POST",
            ratio(get(p, "django_floor_post", "rps"), get(p, "isso_post", "rps")),
            "(ceiling)",
            None,
        )
        target(
            "comment POST / Django alone (one INSERT)",
            ratio(get(r, "comment_post", "rps"), get(p, "django_floor_post", "rps")),
            "(ceiling)",
            None,
        )
        peak = [v["rss_mib"] for v in r.values() if isinstance(v.get("rss_mib"), (int, float))]
        target(
            "peak RSS per worker", max(peak) if peak else None, "< 250", lambda v: v < 250, "MiB"
        )
        return rows

    def report(self) -> None:
        elapsed = time.monotonic() - self.started
        self.meta["elapsed_seconds"] = round(elapsed, 1)
        stolen = procs.steal_share(self.steal_before, self.started)
        self.meta["steal_share"] = None if stolen is None else round(stolen, 3)
        self.meta["site_comments"] = self.site_comments()
        for table, names in ((self.results, CASES), (self.peers, PEERS)):
            for name, _label in names:
                if name not in table:
                    table[name] = {"rps": None, "p50_ms": None, "p99_ms": None, "rss_mib": None}
                    self.notes.setdefault(name, "n/a (not run: the bench stopped before it)")
        targets = self.targets()
        VAR.mkdir(parents=True, exist_ok=True)
        (VAR / "latest.json").write_text(
            json.dumps(
                {
                    "results": self.results,
                    "peers": self.peers,
                    "targets": targets,
                    "notes": self.notes,
                    "meta": self.meta,
                },
                indent=2,
            )
            + "\n"
        )

        def fmt(value, spec):
            return format(value, spec) if isinstance(value, (int, float)) else "n/a"

        print()
        print(
            f"Broadsheet bench: {self.meta.get('database')}, {self.workers} Granian worker(s) on "
            f"{CORES} cores, {self.site_comments():,} comments site-wide, generator "
            f"{self.meta.get('generator')}, {CONNECTIONS} connections, "
            f"{SECONDS:g} s per case after {WARMUP:g} s warm-up"
        )
        header = f"{'case':<28} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'RSS MiB':>8}  note"
        for title, table, names in (("", self.results, CASES), ("peers", self.peers, PEERS)):
            print()
            print(header if not title else header.replace("case", "peer", 1))
            print("-" * len(header))
            for name, _label in names:
                row = table.get(name)
                if row is None:
                    continue
                print(
                    f"{name:<28} {fmt(row['rps'], ',.0f'):>10} {fmt(row['p50_ms'], '.2f'):>8} "
                    f"{fmt(row['p99_ms'], '.2f'):>8} {fmt(row['rss_mib'], '.0f'):>8}  "
                    f"{self.notes.get(name, '')}"
                )
        print()
        print(f"{'target':<46} {'value':>10}  {'goal':<10} met")
        print("-" * 74)
        for row in targets:
            value = "n/a" if row["value"] is None else f"{row['value']:,.2f}{row['unit']}"
            met = {True: "yes", False: "NO", None: "-"}[row["met"]]
            goal = row["goal"] if row["goal"].startswith("(") else row["goal"] + row["unit"]
            print(f"{row['target']:<46} {value:>10}  {goal:<10} {met}")
        for key in ("database", "redis", "tools", "machine", "steal"):
            if key in self.notes:
                print(f"note: {self.notes[key]}")
        print(f"Python {self.meta['python']}, for Broadsheet and Isso alike")
        print(f"\nwrote {VAR.relative_to(ROOT) / 'latest.json'}; whole run {elapsed:.0f} s")


# --- installs (in threads, while the database is prepared) ---------------------------------


def ensure_tools() -> dict:
    available, note = procs.ensure_debian_packages({"wrk": "wrk", "nginx": "nginx-light"})
    return {"available": available, "note": note}


def _base_python() -> str:
    """The interpreter Broadsheet's virtualenv was made with (make install's choice): Isso runs
    on the same one, so neither peer's figures carry a faster or slower build of Python."""
    return getattr(sys, "_base_executable", "") or sys.executable


def _venv_base(venv: Path) -> str | None:
    """The ``home`` a virtualenv was made from (its pyvenv.cfg), or None."""
    try:
        for line in (venv / "pyvenv.cfg").read_text().splitlines():
            name, _, value = line.partition("=")
            if name.strip() == "home":
                return value.strip()
    except OSError:
        return None
    return None


def isso_install() -> dict:
    venv = VAR / "isso-venv"
    python = venv / "bin" / "python"
    base = _base_python()
    uv = ROOT / ".tools" / "bin" / "uv"
    try:
        if python.exists() and _venv_base(venv) != str(Path(base).parent):
            shutil.rmtree(venv)  # made with another interpreter than Broadsheet's
        if not python.exists():
            # uv makes the virtualenv: a distribution's Python may ship without ensurepip.
            make = (
                [str(uv), "venv", "--quiet", "--seed", "--python", base, str(venv)]
                if uv.exists()
                else [base, "-m", "venv", str(venv)]
            )
            subprocess.run(make, check=True, timeout=120, capture_output=True)
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "isso",
                "gunicorn",
            ],
            check=True,
            timeout=600,
            capture_output=True,
        )
        version = subprocess.run(
            [str(python), "-c", "import importlib.metadata as m; print(m.version('isso'))"],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout.strip()
        return {"python": str(python), "version": version, "interpreter": base}
    except (subprocess.SubprocessError, OSError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        return {"note": f"Isso install failed: {detail.decode(errors='replace')[-200:] or exc}"}


class OutOfTime(BaseException):
    """The run's time budget ran out (a BaseException, so no case's guard swallows it)."""


def main() -> int:
    bench = Bench()
    atexit.register(procs.stop_all)
    budget = int(os.environ.get("BENCH_BUDGET_SECONDS", "590"))

    def interrupted(signum, _frame):
        procs.stop_all()
        raise SystemExit(128 + signum)

    def out_of_time(_signum, _frame):
        raise OutOfTime(f"the run's budget of {budget} s ran out")

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)
    signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(budget)
    status = 0
    try:
        bench.run()
    except (Exception, OutOfTime) as exc:  # report what was measured, then fail
        status = 1
        print(f"\nbench stopped: {exc}", file=sys.stderr)
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else 1
        print("\nbench interrupted", file=sys.stderr)
    finally:
        signal.alarm(0)
        procs.stop_all()
    bench.report()
    return status


if __name__ == "__main__":
    sys.exit(main())
