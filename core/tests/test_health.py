"""``/healthz`` (core.health), through the real ASGI application as a load balancer asks it."""

from __future__ import annotations

import asyncio
import logging

import pytest
from asgiref.sync import async_to_sync
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper

from broadsheet.asgi import application

pytestmark = pytest.mark.django_db


class Answer:
    def __init__(self, messages: list[dict]) -> None:
        self.status = messages[0]["status"]
        self.headers = {k.decode(): v.decode() for k, v in messages[0]["headers"]}
        self.body = b"".join(m.get("body", b"") for m in messages[1:]).decode()


async def _call(method: str, path: str, host: bytes, root_path: str = "") -> Answer:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": root_path,
        "headers": [(b"host", host)],
        "client": ("10.0.0.2", 50000),
        "server": ("10.0.0.5", 8000),
    }
    messages: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        messages.append(message)

    await application(scope, receive, send)
    return Answer(messages)


def probe(
    method: str = "GET", path: str = "/healthz", host: bytes = b"localhost", root_path: str = ""
) -> Answer:
    return async_to_sync(_call)(method, path, host, root_path)


@pytest.fixture
def unreachable_cache(settings):
    """The default cache on a Redis nobody listens at (a port that refuses)."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "core.cache.SharedRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        },
    }


@pytest.fixture
def unreachable_database(monkeypatch):
    """Every new database connection fails, as with PostgreSQL down (the probe's thread opens
    its own)."""

    def refuse(self):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)


def test_a_site_served_under_a_path_prefix_answers_its_health_check_under_it():
    """Granian at --url-path-prefix /news: a load balancer that asks /news/healthz, as it asks
    every other address of the site, is answered by the check, not by Django's 404."""
    answer = probe(path="/news/healthz", root_path="/news")

    assert answer.status == 200
    assert answer.body == "ok\n"


def test_a_healthy_process_answers_ok_never_from_a_cache():
    first, second = probe(), probe()

    assert (first.status, first.body) == (200, "ok\n")
    assert first.headers["cache-control"] == "no-store"
    assert first.headers["content-type"].startswith("text/plain")
    assert "x-cache" not in first.headers and "x-cache" not in second.headers
    assert second.status == 200


def test_a_load_balancer_probing_by_the_machines_address_gets_an_answer():
    # Not in ALLOWED_HOSTS: Django would answer 400, and the machine would be taken out.
    assert probe(host=b"10.0.0.5:8000").status == 200


def test_a_head_probe_gets_the_status_alone():
    answer = probe("HEAD")
    assert (answer.status, answer.body) == (200, "")
    assert answer.headers["content-length"] == "3"


def test_it_is_never_rate_limited(settings):
    settings.COMMENT_RATE_LIMIT = "1/m"
    assert [probe().status for _ in range(20)] == [200] * 20


def test_other_methods_are_refused():
    answer = probe("POST")
    assert answer.status == 405
    assert answer.headers["allow"] == "GET, HEAD"


def test_only_the_exact_path_is_the_health_check():
    assert probe(path="/healthz/x").body != "ok\n"


def test_an_unreachable_cache_is_a_503_naming_the_cache(unreachable_cache, caplog):
    with caplog.at_level(logging.WARNING, logger="core.health"):
        answer = probe()

    assert (answer.status, answer.body) == (503, "cache failed\n")
    assert "the cache (REDIS_URL) failed" in caplog.text


def test_an_unreachable_database_is_a_503_naming_the_database(unreachable_database, caplog):
    with caplog.at_level(logging.WARNING, logger="core.health"):
        answer = probe()

    assert (answer.status, answer.body) == (503, "database failed\n")
    assert "the database (DATABASE_URL) failed" in caplog.text


def test_with_both_down_both_are_named(unreachable_database, unreachable_cache):
    assert probe().body == "database and cache failed\n"


def test_probes_that_arrive_together_share_one_run_of_the_checks(monkeypatch):
    from core import health

    runs = []

    def counted() -> list[str]:
        runs.append(1)
        return []

    monkeypatch.setattr(health, "failures", counted)

    async def together():
        return await asyncio.gather(*(_call("GET", "/healthz", b"localhost") for _ in range(5)))

    answers = async_to_sync(together)()

    assert [a.status for a in answers] == [200] * 5
    assert len(runs) == 1
