"""Settings read from the environment, each declared once with its default and help text.

The declarations are the single source of truth: ``broadsheet.settings`` calls :func:`declare`
for every environment variable it reads, and a test checks that each one is documented in
``docs/settings.md``. A value that cannot be parsed raises ``ImproperlyConfigured`` naming the
variable and what it expects, so a typo fails at start-up instead of at the first request.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class EnvSetting:
    name: str
    default: str
    help: str
    parse: Callable[[str], Any] = str


REGISTRY: dict[str, EnvSetting] = {}


def parse_bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError("expected true or false")


def _whole_number(raw: str, expected: str, low: int | None = None, high: int | None = None) -> int:
    """``raw`` as an int from ``low`` to ``high``; otherwise a ValueError saying ``expected``
    (Python's own, "invalid literal for int() with base 10: '1y'", says nothing of what to
    write instead)."""
    try:
        value = int(raw.strip())
    except ValueError:
        raise ValueError(expected) from None
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(expected)
    return value


def parse_int(raw: str) -> int:
    return _whole_number(raw, "expected a whole number")


def parse_non_negative_int(raw: str) -> int:
    return _whole_number(raw, "expected a whole number, 0 or more", low=0)


def parse_positive_int(raw: str) -> int:
    return _whole_number(raw, "expected a whole number of at least 1", low=1)


def parse_port(raw: str) -> int:
    return _whole_number(raw, "expected a port number from 1 to 65535", 1, 65535)


def parse_percent(raw: str) -> int:
    return _whole_number(raw, "expected a percentage, a whole number from 1 to 100", 1, 100)


def parse_gzip_level(raw: str) -> int:
    return _whole_number(raw, "expected a compression level from 0 (off) to 9", 0, 9)


def parse_avif_speed(raw: str) -> int:
    return _whole_number(raw, "expected an encoder speed from 0 (slowest) to 10 (fastest)", 0, 10)


def parse_list(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(",") if item.strip()]


IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(raw: str) -> tuple[IPNetwork, ...]:
    """Comma-separated addresses or networks (10.0.0.1, 10.0.0.0/8, fd00::/8); an address is a
    network of one. Host bits are forgiven (10.0.0.1/8 is 10.0.0.0/8), a typo is not."""
    networks = []
    for entry in parse_list(raw):
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(
                f"{entry!r} is not an IP address or network such as 10.0.0.0/8"
            ) from None
    return tuple(networks)


def parse_rate(raw: str) -> str:
    """A rate as count/period (10/m, 100/h), the form core.ratelimit counts by."""
    count, _, period = raw.strip().partition("/")
    if not count.isdigit() or int(count) < 1 or period not in {"s", "m", "h", "d"}:
        raise ValueError("expected count/period such as 10/m (periods: s, m, h, d)")
    return raw.strip()


REDIS_SCHEMES = ("redis", "rediss", "unix")


def parse_redis_url(raw: str) -> str:
    """A Redis URL redis-py can connect by (redis://, rediss:// for TLS, unix://), or "" for
    none. Only read here: whether Redis answers is a system check (core.checks)."""
    url = raw.strip()
    if not url:
        return ""
    scheme, found, _ = url.partition("://")
    if not found or scheme not in REDIS_SCHEMES:
        raise ValueError(
            "expected redis://host:6379/0, rediss://host:6379/0 (TLS) or unix:///path/to/redis.sock"
        )
    from redis.connection import parse_url  # only when Redis is configured

    parse_url(url)  # a port out of range, a bad query argument: ValueError
    if scheme != "unix":
        # redis-py reads the database from the path, and takes one it cannot read as a number
        # (/9x, /x, /-1: a typo) for no number at all: database 0, another site's perhaps.
        number = urlsplit(url).path.strip("/")
        if number and not number.isdigit():
            raise ValueError(
                f"the database number after the port, {number!r}, is not a whole number 0 or "
                "more, as in redis://host:6379/0 (redis-py takes /9x for database 0, perhaps "
                "another site's)"
            )
    return url


def parse_time_zone(raw: str) -> str:
    """An IANA time zone name (Europe/London, America/New_York), as Django and zoneinfo read it.
    Django's own refusal of a name it does not know is a traceback from deep inside it."""
    name = raw.strip()
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"{name!r} is not a time zone name; expected one such as Europe/London or "
            "America/New_York (the IANA database's, as listed by `timedatectl list-timezones`)"
        ) from None
    return name


def ascii_host(host: str) -> str:
    """``host`` as browsers send it in the Host and Origin headers: an internationalised domain
    name (zeitung-für-alle.example) in IDNA's ASCII form (xn--zeitung-fr-alle-7vb.example; UTS 46,
    as browsers read it, so lowercased and straße.example is xn--strae-oqa.example). A host
    already in ASCII is returned as it is."""
    if host.isascii():
        return host
    import idna  # comes with requests, which Wagtail and django-allauth need

    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError as exc:
        raise ValueError(
            f"{host!r} is not an internationalised domain name IDNA can write ({exc})"
        ) from None


def parse_hosts(raw: str) -> list[str]:
    """ALLOWED_HOSTS: comma-separated host names, each compared by Django with the Host header
    a browser sends, which carries an internationalised domain name in IDNA's ASCII form; so a
    host written as it reads (zeitung-für-alle.example) is kept in that form. ``*`` and a
    leading dot (``.example.org``: the domain and its subdomains) keep their meaning."""
    hosts = []
    for entry in parse_list(raw):
        if entry.startswith("."):
            hosts.append("." + ascii_host(entry[1:]))
        else:
            hosts.append(ascii_host(entry))
    return hosts


def parse_origins(raw: str) -> list[str]:
    """CSRF_TRUSTED_ORIGINS: comma-separated origins (https://news.example, https://*.example),
    compared by Django with the Origin header a browser sends, which carries an
    internationalised domain name in IDNA's ASCII form; so a host written as it reads is kept in
    that form, its scheme, port and ``*.`` wildcard as they are."""
    origins = []
    for entry in parse_list(raw):
        if entry.isascii():
            origins.append(entry)
            continue
        scheme, found, netloc = entry.partition("://")
        if not found:
            raise ValueError(
                f"{entry!r} is not an origin with its scheme, such as https://zeitung-für-alle.example"
            )
        host, colon, port = netloc.partition(":")
        wildcard = "*." if host.startswith("*.") else ""
        host = ascii_host(host.removeprefix(wildcard))
        origins.append(f"{scheme}://{wildcard}{host}{colon}{port}")
    return origins


_SITE_EXAMPLE = "such as https://news.example.com, or https://example.org/news under a path prefix"
# What a host may hold as typed in ASCII: letters, digits, dots, hyphens (and the underscore some
# internal names carry).
_ASCII_HOST = re.compile(r"[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?")
# What may stay as it is in a URL's path (RFC 3986: unreserved, sub-delims, ":", "@", and "/");
# "%" too, so an escape already written is kept.
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"


def parse_site_base_url(raw: str) -> str:
    """The site's public address, as every absolute link is made from it: an http(s) URL with a
    host, and nothing after its path (no trailing slash).

    Written as a URL must be wherever it goes (an HTTP header, XML, JSON, an email): an
    internationalised domain name (https://zeitung-für-alle.example) has its host in IDNA's
    ASCII form (https://xn--zeitung-fr-alle-7vb.example, UTS 46 as browsers read it), and
    letters outside ASCII in a path prefix are percent-encoded. The scheme and host are
    lowercased."""
    parts = urlsplit(raw.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"expected an http:// or https:// address with a host, {_SITE_EXAMPLE}")
    if parts.username is not None or parts.password is not None:
        raise ValueError("expected the site's address without a user name or password in it")
    if parts.query or parts.fragment or raw.strip().endswith(("?", "#")):
        raise ValueError(
            f"expected the site's address with no ?query or #fragment, {_SITE_EXAMPLE}"
        )
    try:
        port = parts.port
    except ValueError:
        raise ValueError("its port is not a number from 0 to 65535") from None
    host = parts.hostname or ""
    if not host:
        raise ValueError(f"expected a host name after the scheme, {_SITE_EXAMPLE}")
    if ":" in host:  # an IPv6 address, written in brackets
        try:
            host = f"[{ipaddress.IPv6Address(host).compressed}]"
        except ValueError:
            raise ValueError(f"{host!r} is not an IPv6 address") from None
    elif host.isascii():
        if not _ASCII_HOST.fullmatch(host):
            raise ValueError(f"{host!r} is not a host name")
    else:
        host = ascii_host(host)
    netloc = host if port is None else f"{host}:{port}"
    path = quote(parts.path, safe=_PATH_SAFE).rstrip("/")
    return f"{scheme}://{netloc}{path}"


def cookie_path(site_base_url: str) -> str:
    """The Path every cookie of the site is set with: SITE_BASE_URL's path prefix (``/news``),
    or ``/`` for a site at the root of its host.

    A site under a prefix shares its host with others (docs/deploy.md, "Under a path prefix");
    a cookie for ``/`` went to all of them, and another Django site's ``sessionid`` or
    ``csrftoken`` overwrote this one's (and signed its readers out). Without the trailing slash
    it still matches ``/news`` itself, and never ``/newsroom`` (RFC 6265, 5.1.4)."""
    return urlsplit(site_base_url).path or "/"


def site_origin(site_base_url: str) -> str:
    """SITE_BASE_URL without its path prefix: ``https://example.org``."""
    parts = urlsplit(site_base_url)
    return f"{parts.scheme}://{parts.netloc}"


def script_name(site_base_url: str) -> str | None:
    """The path prefix Django reverses under outside a request (FORCE_SCRIPT_NAME), as a server
    gives it in SCRIPT_NAME (decoded: Django quotes it again); None for a site at the root."""
    return unquote(urlsplit(site_base_url).path) or None


def parse_frame_ancestors(raw: str) -> str:
    """A CSP frame-ancestors source list: *, 'none', 'self', or origins (https://host,
    https://*.host, host:port), separated by spaces."""
    sources = raw.split()
    if not sources:
        raise ValueError("expected *, 'none', or origins separated by spaces")
    for source in sources:
        if source in ("*", "'none'", "'self'"):
            continue
        if not re.fullmatch(r"(https?://)?(\*\.)?[A-Za-z0-9.-]+(:\d{1,5})?/?", source):
            raise ValueError(f"{source!r} is not an origin such as https://partner.example")
    if "'none'" in sources and len(sources) > 1:
        raise ValueError("'none' cannot be listed with other sources")
    return " ".join(sources)


def declare(
    name: str,
    default: str,
    help: str,  # noqa: A002 - mirrors argparse's vocabulary
    parse: Callable[[str], Any] = str,
) -> Any:
    """Register a setting and return its parsed value from the environment or the default."""
    REGISTRY[name] = EnvSetting(name=name, default=default, help=help, parse=parse)
    raw = os.environ.get(name, default)
    try:
        return parse(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"The environment variable {name}={raw!r} is not valid: {exc}. {help}"
        ) from exc
