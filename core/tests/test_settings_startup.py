"""A bad value in the environment stops start-up, naming the variable, before any request."""

from __future__ import annotations

import ipaddress
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from core.envsettings import (
    REGISTRY,
    parse_networks,
    parse_rate,
    parse_redis_url,
    parse_site_base_url,
)

ROOT = Path(__file__).resolve().parents[2]


def load_settings(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    """Import broadsheet.settings in a fresh interpreter, as every process starts, with ``env``
    added to this one's environment and a var folder of its own."""
    return subprocess.run(  # noqa: S603  (our own interpreter, a fixed script)
        [sys.executable, "-c", "import broadsheet.settings"],
        cwd=ROOT,
        env={**os.environ, "BROADSHEET_VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        check=False,
    )


def refusal(result: subprocess.CompletedProcess) -> str:
    """The ImproperlyConfigured line that stopped start-up ("" if it started)."""
    assert result.returncode != 0, "started, when it should have stopped"
    lines = [line for line in result.stderr.splitlines() if "ImproperlyConfigured" in line]
    return lines[-1] if lines else ""


@pytest.mark.parametrize(
    "name", ["REACTION_RATE_LIMIT", "REACTION_NEW_GUEST_RATE", "COMMENT_EDIT_RATE_LIMIT"]
)
@pytest.mark.parametrize("raw", ["30/min", "lots"])
def test_a_malformed_rate_stops_start_up_naming_the_variable(tmp_path, name, raw):
    message = refusal(load_settings(tmp_path, **{name: raw}))
    assert f"{name}={raw!r} is not valid" in message
    assert "count/period" in message


def test_a_well_formed_rate_starts(tmp_path):
    result = load_settings(
        tmp_path,
        REACTION_RATE_LIMIT="30/h",
        REACTION_NEW_GUEST_RATE="5/d",
        COMMENT_EDIT_RATE_LIMIT="2/s",
    )
    assert result.returncode == 0, result.stderr


def test_every_setting_shaped_like_a_rate_is_read_as_one():
    rates = [s for s in REGISTRY.values() if re.fullmatch(r"\d+/[smhd]", s.default)]
    assert len(rates) >= 7
    assert [s.name for s in rates if s.parse is not parse_rate] == []


@pytest.mark.parametrize("entry", ["127.0.0.1/33", "notanip", "10.0.0.0/8/8"])
def test_a_trusted_proxy_that_is_not_an_address_or_network_stops_start_up(tmp_path, entry):
    message = refusal(load_settings(tmp_path, TRUSTED_PROXIES=f"10.0.0.0/8, {entry}"))
    assert "TRUSTED_PROXIES=" in message
    assert f"{entry!r} is not an IP address or network" in message


def test_trusted_proxies_are_read_as_networks():
    assert parse_networks(" 10.0.0.0/8, 192.0.2.7 ,fd00::/8,, 10.1.2.3/16") == (
        ipaddress.ip_network("10.0.0.0/8"),
        ipaddress.ip_network("192.0.2.7/32"),
        ipaddress.ip_network("fd00::/8"),
        ipaddress.ip_network("10.1.0.0/16"),  # host bits forgiven, as before
    )
    assert parse_networks("") == ()


@pytest.mark.parametrize(
    "raw", ["nonsense", "http://cache.internal:6379/0", "127.0.0.1:6379", "redis://h:99999/0"]
)
def test_a_redis_url_redis_cannot_connect_by_stops_start_up(tmp_path, raw):
    message = refusal(load_settings(tmp_path, REDIS_URL=raw))
    assert f"REDIS_URL={raw!r} is not valid" in message


@pytest.mark.parametrize(
    "raw", ["", "redis://cache.internal:6379/0", "rediss://:pw@cache:6380/2", "unix:///run/r.sock"]
)
def test_redis_urls_of_each_scheme_are_read(raw):
    assert parse_redis_url(f" {raw} ") == raw


@pytest.mark.parametrize("raw", ["-1", "a year", "1.5"])
def test_hsts_seconds_that_are_not_a_whole_number_0_or_more_stop_start_up(tmp_path, raw):
    message = refusal(load_settings(tmp_path, SECURE_HSTS_SECONDS=raw))
    assert f"SECURE_HSTS_SECONDS={raw!r} is not valid" in message


def test_app_threads_as_many_as_the_database_pool_stop_start_up(tmp_path):
    """Each app thread keeps a pooled PostgreSQL connection between requests (core.postgresql):
    with no connection left over, the threads that borrow one would wait and fail."""
    postgresql = "postgres://postgres@127.0.0.1:5432/broadsheet"
    message = refusal(
        load_settings(tmp_path, DATABASE_URL=postgresql, APP_THREADS="8", DATABASE_POOL_SIZE="8")
    )
    assert "APP_THREADS=8 needs DATABASE_POOL_SIZE above it (it is 8)" in message

    fewer = load_settings(
        tmp_path, DATABASE_URL=postgresql, APP_THREADS="8", DATABASE_POOL_SIZE="9"
    )
    assert fewer.returncode == 0, fewer.stderr


def test_an_internationalised_site_address_is_read_with_its_host_in_ascii(tmp_path):
    """Every absolute link (feeds, sitemaps, ninjs, structured data, emails) is made from it, so
    each is a URI a machine can follow: the host in IDNA's ASCII form (UTS 46, as browsers)."""
    result = subprocess.run(  # noqa: S603  (our own interpreter, a fixed script)
        [sys.executable, "-c", "from broadsheet import settings; print(settings.SITE_BASE_URL)"],
        cwd=ROOT,
        env={
            **os.environ,
            "BROADSHEET_VAR_DIR": str(tmp_path),
            "SITE_BASE_URL": "https://Zeitung-für-Alle.example/",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "https://xn--zeitung-fr-alle-7vb.example"


@pytest.mark.parametrize(
    "raw",
    [
        "news.example.com",  # no scheme
        "ftp://news.example.com",
        "https://",
        "https://news..example.com",
        "https://-zeitung-für-alle.example",  # no IDNA form
        "https://news.example.com:99999",
        "https://news.example.com/?edition=uk",
    ],
)
def test_a_site_address_that_is_not_an_http_url_stops_start_up(tmp_path, raw):
    message = refusal(load_settings(tmp_path, SITE_BASE_URL=raw))
    assert f"SITE_BASE_URL={raw!r} is not valid" in message


@pytest.mark.parametrize(
    ("raw", "read"),
    [
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("HTTPS://News.Example.com/", "https://news.example.com"),
        ("https://example.org/news/", "https://example.org/news"),
        ("https://example.org/café", "https://example.org/caf%C3%A9"),
        ("https://example.org/caf%C3%A9", "https://example.org/caf%C3%A9"),
        ("http://zeitung-für-alle.example:8080/", "http://xn--zeitung-fr-alle-7vb.example:8080"),
        ("https://straße.example", "https://xn--strae-oqa.example"),  # not strasse (IDNA 2003)
        ("http://[::1]:8000", "http://[::1]:8000"),
    ],
)
def test_site_addresses_are_read_as_ascii_uris(raw, read):
    assert parse_site_base_url(raw) == read


@pytest.mark.parametrize(
    ("site", "path"),
    [("https://example.org/news", "/news"), ("https://news.example.org", "/")],
    ids=["under a prefix", "at the root"],
)
def test_every_cookie_django_sets_is_for_the_site_base_urls_path(tmp_path, site, path):
    """Under a prefix another site shares the host (docs/deploy.md): a cookie for / went to it,
    and its own sessionid or csrftoken overwrote this site's."""
    result = subprocess.run(  # noqa: S603  (our own interpreter, a fixed script)
        [
            sys.executable,
            "-c",
            "from broadsheet import settings as s; "
            "print(s.SESSION_COOKIE_PATH, s.CSRF_COOKIE_PATH, s.LANGUAGE_COOKIE_PATH)",
        ],
        cwd=ROOT,
        env={**os.environ, "BROADSHEET_VAR_DIR": str(tmp_path), "SITE_BASE_URL": site},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [path, path, path]


@pytest.mark.parametrize("raw", ["redis://cache:6379/9x", "redis://cache:6379/x", "redis://c/-1"])
def test_a_redis_database_number_that_is_not_one_stops_start_up(tmp_path, raw):
    """redis-py reads a database number it cannot parse (a typo: /9x) as none, and so used
    database 0, perhaps another site's, with nothing said."""
    message = refusal(load_settings(tmp_path, REDIS_URL=raw))
    assert f"REDIS_URL={raw!r} is not valid" in message
    assert "is not a whole number" in message


@pytest.mark.parametrize("raw", ["redis://cache:6379/9", "redis://cache:6379/", "redis://cache"])
def test_a_redis_url_with_a_database_number_or_none_is_read(raw):
    assert parse_redis_url(raw) == raw


@pytest.mark.parametrize(
    ("raw", "engine"),
    [("mysql://u@db/news", "mysql"), ("oracle://u:p@db:1521/news", "oracle")],
)
def test_a_database_url_for_another_database_stops_start_up(tmp_path, raw, engine):
    """Any database dj_database_url knows was run on as if it were PostgreSQL, and `manage.py
    check` passed; the first query then failed, far from the setting."""
    message = refusal(load_settings(tmp_path, DATABASE_URL=raw))
    assert f"DATABASE_URL={raw!r} names a database Broadsheet does not run on" in message
    assert engine in message


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("sqlite:///var/news.sqlite3", "var/news.sqlite3"),
        ("sqlite://var/news.sqlite3", "news.sqlite3"),
    ],
)
def test_a_sqlite_file_by_a_relative_path_stops_start_up(tmp_path, raw, name):
    """Relative to the folder each process starts in (the worker's, the scheduler's, a cron
    job's); and with two slashes its first folder was dropped, so a new empty database."""
    message = refusal(load_settings(tmp_path, DATABASE_URL=raw))
    assert f"names the SQLite file {name!r}, a relative path" in message
    assert "sqlite:////" in message


def test_a_sqlite_file_by_its_absolute_path_starts(tmp_path):
    result = load_settings(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'news.sqlite3'}")
    assert result.returncode == 0, result.stderr


def test_the_default_database_follows_a_relative_var_folder_as_before(tmp_path):
    result = subprocess.run(  # noqa: S603  (our own interpreter, a fixed script)
        [sys.executable, "-c", "import broadsheet.settings"],
        cwd=tmp_path,
        env={**os.environ, "BROADSHEET_VAR_DIR": "var", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("raw", ["Europe/Londn", "europe/london", "", "../etc/passwd"])
def test_a_time_zone_the_database_does_not_have_stops_start_up_naming_the_variable(tmp_path, raw):
    """Django refused it with a ValueError from inside django.conf, not naming the variable."""
    message = refusal(load_settings(tmp_path, TIME_ZONE=raw))
    assert f"TIME_ZONE={raw!r} is not valid" in message
    assert "is not a time zone name" in message


def test_a_time_zone_of_the_database_starts(tmp_path):
    result = load_settings(tmp_path, TIME_ZONE="America/New_York")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("COMMENT_MAX_LENGTH", "expected a whole number of at least 1"),
        ("SECURE_HSTS_SECONDS", "expected a whole number, 0 or more"),
        ("MODERATION_TRUST_FIRST_COMMENTS", "expected a whole number, 0 or more"),
        ("PAGE_CACHE_SECONDS", "expected a whole number"),
        ("PAGE_CACHE_GZIP_LEVEL", "expected a compression level from 0 (off) to 9"),
    ],
)
def test_a_number_that_is_not_one_stops_start_up_saying_what_to_write(tmp_path, name, expected):
    """docs/settings.md's own example, COMMENT_MAX_LENGTH=lots, said "invalid literal for int()
    with base 10: 'lots'": Python's words, not what the setting expects."""
    message = refusal(load_settings(tmp_path, **{name: "lots"}))
    assert f"{name}='lots' is not valid: {expected}." in message
    assert "invalid literal" not in message


@pytest.mark.parametrize("raw", ["70000", "0", "smtp"])
def test_an_email_port_out_of_range_stops_start_up(tmp_path, raw):
    """70000 was taken, and the task worker sent its emails to port 4464 (70000 less 65536:
    the resolver wraps it), with nothing said of the setting."""
    message = refusal(load_settings(tmp_path, EMAIL_PORT=raw))
    assert f"EMAIL_PORT={raw!r} is not valid: expected a port number from 1 to 65535" in message


def test_a_var_folder_that_cannot_be_made_stops_start_up_naming_the_variable(tmp_path):
    """A file in the way (or, for the service's user, a folder it may not make) ended start-up
    with a traceback from pathlib's mkdir that named the path but not the setting."""
    (tmp_path / "a-file").write_text("")
    folder = tmp_path / "a-file" / "var"
    result = subprocess.run(  # noqa: S603  (our own interpreter, a fixed script)
        [sys.executable, "-c", "import broadsheet.settings"],
        cwd=ROOT,
        env={**os.environ, "BROADSHEET_VAR_DIR": str(folder)},
        capture_output=True,
        text=True,
        check=False,
    )
    message = refusal(result)
    assert f"BROADSHEET_VAR_DIR={str(folder)!r} is not a folder this process can make" in message
    assert "Not a directory" in message
