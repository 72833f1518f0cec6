"""Django settings for Broadsheet.

Every value an operator may change comes from the environment through ``core.envsettings.declare``
and is documented in docs/settings.md. The embedded defaults run on one machine with nothing else
installed: SQLite (WAL, synchronous=FULL), an in-process cache and the database task queue.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import zoneinfo
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from core.envsettings import (
    cookie_path,
    declare,
    parse_avif_speed,
    parse_bool,
    parse_frame_ancestors,
    parse_gzip_level,
    parse_hosts,
    parse_int,
    parse_list,
    parse_networks,
    parse_non_negative_int,
    parse_origins,
    parse_percent,
    parse_positive_int,
    parse_rate,
    parse_redis_url,
    parse_site_base_url,
    parse_time_zone,
    script_name,
    site_origin,
)

BASE_DIR = Path(__file__).resolve().parent.parent

VAR_DIR = Path(
    declare(
        "BROADSHEET_VAR_DIR",
        str(BASE_DIR / "var"),
        "Folder for the SQLite database, uploaded media, collected static files and the "
        "generated secret key.",
    )
)
try:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
except OSError as exc:  # not allowed (the service's user), or a file in the way
    raise ImproperlyConfigured(
        f"BROADSHEET_VAR_DIR={str(VAR_DIR)!r} is not a folder this process can make or use "
        f"({exc.strerror or exc}). Make it, owned by the user the site runs as (chmod 700), "
        "or name another."
    ) from exc

DEBUG = declare(
    "DEBUG", "false", "Django's debug mode. Never turn it on for a public site.", parse_bool
)


def _secret_key() -> str:
    """Use SECRET_KEY if given; otherwise keep one generated key in the var folder."""
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(50)
    key_file.touch(mode=0o600)
    key_file.write_text(key)
    return key


SECRET_KEY = (
    declare(
        "SECRET_KEY",
        "",
        "Django's secret key. When empty, one is generated once and kept in "
        "BROADSHEET_VAR_DIR/secret_key. Set it explicitly when several machines serve the site.",
    )
    or _secret_key()
)
SECRET_KEY_FALLBACKS = declare(
    "SECRET_KEY_FALLBACKS",
    "",
    "Comma-separated earlier secret keys, newest first, still accepted after SECRET_KEY is "
    "changed: the sessions, password reset links and queued account emails made with one keep "
    "working (Django's SECRET_KEY_FALLBACKS). Remove a key once what it made has expired "
    "(docs/deploy.md, Changing the secret key).",
    parse_list,
)

ALLOWED_HOSTS = declare(
    "ALLOWED_HOSTS",
    "127.0.0.1,localhost",
    "Comma-separated host names the site answers to; any other Host header gets a 400. An "
    "internationalised domain name may be written as it reads (zeitung-für-alle.example): it is "
    "kept in the ASCII form browsers send (IDNA, xn--zeitung-fr-alle-7vb.example). * and a "
    "leading dot (.example.org, with its subdomains) work as in Django; a host IDNA cannot "
    "write stops start-up.",
    parse_hosts,
)
CSRF_TRUSTED_ORIGINS = declare(
    "CSRF_TRUSTED_ORIGINS",
    "",
    "Comma-separated origins (scheme and host) allowed to post forms when they differ from the "
    "Host header, e.g. behind a TLS-terminating proxy. An internationalised domain name may be "
    "written as it reads (https://zeitung-für-alle.example): it is kept in the ASCII form "
    "browsers send (IDNA); a host IDNA cannot write stops start-up.",
    parse_origins,
)
SITE_BASE_URL = declare(
    "SITE_BASE_URL",
    "http://127.0.0.1:8000",
    "The public address of the site, used for absolute links in the admin and emails, feeds, "
    "sitemaps and structured data. A site served under a path prefix includes it: "
    'https://example.org/news (docs/deploy.md, "Under a path prefix"), and the site\'s cookies '
    "are then set for that path alone. An internationalised domain name may be written as it "
    "reads (https://zeitung-für-alle.example): links carry it in its ASCII form (IDNA, "
    "https://xn--zeitung-fr-alle-7vb.example). Anything but an http(s) address with a host "
    "stops start-up.",
    parse_site_base_url,
)
# Processes that answer no request (manage.py's commands, the task worker and what the scheduler
# runs) reverse addresses under the prefix too, as a request under it does from its SCRIPT_NAME:
# Django sets this as the prefix when such a process starts (django.setup). Requests get the same.
FORCE_SCRIPT_NAME = script_name(SITE_BASE_URL)

INSTALLED_APPS = [
    "core",
    "accounts",
    "newsroom",
    "moderation",
    "discussion",
    "api",
    "importers",
    # Only for its static files: the API's docs page (/api/v1/docs) then loads Swagger UI from
    # this site, not from a CDN (ninja picks its CDN template when the app is not installed).
    "ninja",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    # Not "wagtail.sites": newsroom registers its Sites settings, whose form refuses a root page
    # that would put pages where the site's own views answer (newsroom.site_settings).
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",  # 10,000 comments, not 10000
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
]

MIDDLEWARE = [
    # The read API's requests take a chain of their own: this list less the entries in
    # api.middleware.NOT_FOR_THE_API (sessions, sign-in, messages, static files, redirects).
    "api.middleware.ReadApiChain",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on the site's pages (not the Wagtail admin's), and on the copies
    # the page cache keeps of them.
    "core.csp.ContentSecurityPolicy",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # gzip for text Django draws per reader; static files (WhiteNoise, above) and the answers the
    # page cache keeps (core.pagecache) are compressed their own way.
    "core.middleware.CompressedAnswers",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The read API's refusals are JSON, also for addresses and methods it does not have, and
    # for a Host header refused by CommonMiddleware (below, where Django first asks for it).
    "api.middleware.JsonRefusals",
    # Django's CommonMiddleware, except that no address under /api/v1/ gains a slash.
    "api.middleware.SlashesOutsideTheApi",
    # The read API's answers may be read by other sites' pages (api.middleware).
    "api.middleware.OpenToOtherSites",
    # A method a view does not take is a 405 before the CSRF check, not a 403 asking for a
    # token (core.methods): a POST to a read under /api/v1/ among them.
    "core.methods.MethodsBeforeCsrf",
    # A form whose body names a charset other than UTF-8 is a 400 here, before the CSRF check
    # reads it: Django's own refusal of it ended in a 500 (core.form_charset).
    "core.form_charset.FormsInUtf8",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Wagtail's redirects, except for the read API's own 404s (api.middleware).
    "api.middleware.RedirectsOutsideTheApi",
    # Hands Wagtail's page view its site and route from a cached list of sites (newsroom.routing).
    "newsroom.routing.PreRouteMiddleware",
    # A write the rate limits could not count, Redis not answering: a 503, not a 500.
    "core.middleware.UnreachableCacheAnswers",
]

ROOT_URLCONF = "broadsheet.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
                # The header's sections and the footer's standards pages (read only when shown).
                "newsroom.context_processors.site_navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "broadsheet.wsgi.application"
ASGI_APPLICATION = "broadsheet.asgi.application"

# --- Database ------------------------------------------------------------------------------

DATABASE_URL = declare(
    "DATABASE_URL",
    f"sqlite:///{VAR_DIR / 'broadsheet.sqlite3'}",
    "Where the data lives. The default is a SQLite file in BROADSHEET_VAR_DIR; "
    "postgres://user@host:5432/name switches to PostgreSQL.",
)
try:
    _database = dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
except ValueError as exc:
    raise ImproperlyConfigured(
        f"DATABASE_URL={DATABASE_URL!r} is not a database URL ({exc}). "
        "Use sqlite:////absolute/path.sqlite3 or postgres://user@host:5432/name."
    ) from exc
# Only SQLite and PostgreSQL: any other database dj_database_url knows (mysql://, oracle://) was
# run on as if it were PostgreSQL (the engine below), and failed at its first query. A relative
# SQLite path is relative to the folder each process starts in (the worker's may not be the app
# server's), and sqlite://var/db.sqlite3, two slashes, named db.sqlite3 there, without `var`.
if _database["ENGINE"] not in ("django.db.backends.sqlite3", "django.db.backends.postgresql"):
    raise ImproperlyConfigured(
        f"DATABASE_URL={DATABASE_URL!r} names a database Broadsheet does not run on "
        f"({_database['ENGINE']}). Use sqlite:////absolute/path.sqlite3 or "
        "postgres://user@host:5432/name."
    )
if (
    "DATABASE_URL" in os.environ  # the default follows BROADSHEET_VAR_DIR, as it is given
    and _database["ENGINE"] == "django.db.backends.sqlite3"
    and not (_database["NAME"] == ":memory:" or Path(_database["NAME"]).is_absolute())
):
    raise ImproperlyConfigured(
        f"DATABASE_URL={DATABASE_URL!r} names the SQLite file {_database['NAME']!r}, a relative "
        "path: each process would look for it in the folder it was started in. Give its "
        "absolute path, four slashes in all: sqlite:////var/lib/broadsheet/broadsheet.sqlite3."
    )


def _sqlite_file_private(name: str) -> None:
    """Make a SQLite file that does not exist yet readable by its owner only (0600), before
    SQLite makes it with the umask's mode (0644): it holds readers' emails, addresses and
    password hashes. SQLite gives its -wal and -shm files the main file's mode. A file that
    exists, an operator's, is left as it is."""
    if name == ":memory:" or name.startswith("file:"):
        return
    path = Path(name)
    if path.exists() or not path.parent.is_dir():
        return  # a missing folder: SQLite's own error says so at the first connection
    with contextlib.suppress(FileExistsError):  # another process made it just now, as here
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


if _database["ENGINE"] == "django.db.backends.sqlite3":
    _sqlite_file_private(str(_database["NAME"]))
    # WAL lets readers work while a comment is written; synchronous=FULL makes a commit durable
    # before the reader is told it is saved. IMMEDIATE transactions take the write lock up front,
    # so two writers queue on busy_timeout instead of failing with "database is locked".
    _database["CONN_MAX_AGE"] = 0
    _database["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    # Django's backend, lending no pooled connection the server has closed (a restart).
    _database["ENGINE"] = "core.postgresql"
    # A pool per process: each of the app's own threads (core.django_threads, APP_THREADS of
    # them) keeps the connection it borrows, and any other thread (a live stream's check, the
    # health probe) borrows one for the length of its work (core.postgresql). Django's own
    # persistent connections (CONN_MAX_AGE) would give every such thread one for good.
    _database["CONN_MAX_AGE"] = 0
    _database["CONN_HEALTH_CHECKS"] = False
    _database.setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": declare(
            "DATABASE_POOL_SIZE",
            "20",
            "PostgreSQL only: the most connections each app process keeps open (a pool). Keep "
            "processes x this under the server's max_connections.",
            parse_positive_int,
        ),
        "timeout": 10,
    }
    # The hot reads (core.db.read_cursor) bind their parameters on the server, and a statement a
    # connection has run this many times is prepared: PostgreSQL plans it once, not per request.
    _prepare_threshold = declare(
        "DATABASE_PREPARE_THRESHOLD",
        "5",
        "PostgreSQL only: runs of one hot read on a connection before it is prepared (planned "
        "once). 0 turns prepared statements off, for a pooler that cannot keep them "
        "(PgBouncer before 1.21 in transaction mode).",
        parse_int,
    )
    if _prepare_threshold < 0:
        raise ImproperlyConfigured(
            f"DATABASE_PREPARE_THRESHOLD={_prepare_threshold} is negative; use 0 to turn it off."
        )
    _database["OPTIONS"]["prepare_threshold"] = _prepare_threshold or None
    # A server that vanishes (its machine gone, a partition, a failover to a new address) never
    # closes its connections: without these, a query sent on one waited for the kernel to give
    # up (about 15 minutes), and a new connection for its SYN to time out (about 2). libpq's own
    # parameters bound both; keepalives find a pooled connection's server gone while it sits
    # idle, and the kernel then closes it, so no request is lent it (core.postgresql).
    # DATABASE_URL's query string (?connect_timeout=...) still sets any of them.
    _network_timeout = declare(
        "DATABASE_NETWORK_TIMEOUT",
        "10",
        "PostgreSQL only: seconds to connect, and the most a query's data may go unacknowledged "
        "by the server's machine, before the attempt fails; idle connections are probed after "
        "this long too. A query that is merely slow is not cut short.",
        parse_positive_int,
    )
    for _name, _value in {
        "connect_timeout": _network_timeout,
        "tcp_user_timeout": _network_timeout * 1000,
        "keepalives": 1,
        "keepalives_idle": _network_timeout,
        "keepalives_interval": max(1, _network_timeout // 3),
        "keepalives_count": 3,
    }.items():
        _database["OPTIONS"].setdefault(_name, _value)
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ---------------------------------------------------------------------------------

REDIS_URL = declare(
    "REDIS_URL",
    "",
    "When set (redis://host:6379/0), the cache and rate limits live in Redis so that several app "
    "processes share them (rediss:// for TLS, unix:// for a socket). When empty, an in-process "
    "cache is used. `manage.py check` says when the Redis named here does not answer.",
    parse_redis_url,
)
CACHE_KEY_PREFIX = declare(
    "CACHE_KEY_PREFIX",
    "broadsheet",
    "Prefix for every cache key, so several sites can share one Redis.",
)
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, sharing one client per process (see core/cache.py).
            "BACKEND": "core.cache.SharedRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": CACHE_KEY_PREFIX,
        }
    }
FRAGMENT_CACHE_ENTRIES = declare(
    "FRAGMENT_CACHE_ENTRIES",
    "2000",
    "How many drawn comments (a top-level comment with its shown replies) and article figures "
    "each app process keeps in its memory, so that after a new comment the article page is "
    "drawn again from those that did not change, and a signed-in reader's page from those every "
    "reader shares; 0 draws every comment and figure afresh.",
    parse_int,
)
# This process's own: what it keeps is keyed by everything it was drawn from, so it never needs
# invalidating, and reading it must cost less than drawing it (no trip to Redis).
CACHES["fragments"] = (
    {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": FRAGMENT_CACHE_ENTRIES},
    }
    if FRAGMENT_CACHE_ENTRIES > 0
    else {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
)
PAGE_CACHE_SECONDS = declare(
    "PAGE_CACHE_SECONDS",
    "300",
    "How long an anonymous reader's article page or API answer may be served from the cache "
    "(core.pagecache). Every write bumps a version, so this only bounds staleness of times and "
    "schedules; 0 turns the cache off.",
    parse_int,
)
PAGE_CACHE_LOCAL_MB = declare(
    "PAGE_CACHE_LOCAL_MB",
    "32",
    "Memory each app process gives to its own copies of the most-read cached answers, so a hit "
    "needs no trip to Redis; 0 keeps them only in the shared cache.",
    parse_int,
)
PAGE_CACHE_LOCAL_MAX_STALE_MS = declare(
    "PAGE_CACHE_LOCAL_MAX_STALE_MS",
    "1000",
    "How long an app process trusts the cache versions it last read before reading them again. "
    "A write made through another app process reaches this one's cached answers within this "
    "time (writes through the same process at once); 0 reads them on every request.",
    parse_int,
)
PAGE_CACHE_GRACE_SECONDS = declare(
    "PAGE_CACHE_GRACE_SECONDS",
    "5",
    "After a write, while one request of an app process renders an anonymous page afresh, the "
    "process's other anonymous readers of that page get the copy from just before the write "
    "(X-Cache: stale) for up to this long, instead of each rendering it again; 0 makes each "
    "wait for a page of its own. Readers who wrote (signed in, or a guest who has commented) "
    "always get a fresh page.",
    parse_int,
)
PAGE_CACHE_GZIP_LEVEL = declare(
    "PAGE_CACHE_GZIP_LEVEL",
    "6",
    "Browsers that accept gzip get the cache's answers compressed at this level (1 fastest, 9 "
    "smallest), made once when an answer is stored rather than on every request: the "
    "10,000-comment page goes out as about a ninth of its size. Each reader's own values (the "
    "CSRF token) go in uncompressed, so compression reveals nothing about them (BREACH). 0 "
    "sends them uncompressed.",
    parse_gzip_level,
)
LIVE_EVENTS_KEEP = declare(
    "LIVE_EVENTS_KEEP",
    "500",
    "How many recent live events each thread keeps, so a reader whose stream dropped resumes "
    "with Last-Event-ID instead of reloading.",
    parse_positive_int,
)
APP_THREADS = declare(
    "APP_THREADS",
    "2",
    "Threads per app process that run Django's views (core.django_threads). Cached pages and "
    "live streams never wait for them; more threads help when views wait on slow I/O, fewer "
    "keep latency steadier on few cores. 1 runs every view of the process on one thread.",
    parse_positive_int,
)
# Each app thread keeps one of its process's pooled connections for good (core.postgresql); the
# pool must have more, for the threads that borrow one (a live stream's check, the health probe).
_pool_options = _database.get("OPTIONS", {}).get("pool")
if _pool_options and _pool_options["max_size"] <= APP_THREADS:
    raise ImproperlyConfigured(
        f"APP_THREADS={APP_THREADS} needs DATABASE_POOL_SIZE above it (it is "
        f"{_pool_options['max_size']}): each app thread keeps one of its process's database "
        "connections, and the live streams' checks and the health probe borrow others. Raise "
        "DATABASE_POOL_SIZE or lower APP_THREADS."
    )
LIVE_KEEPALIVE_SECONDS = declare(
    "LIVE_KEEPALIVE_SECONDS",
    "20",
    "How often an idle live stream sends a keep-alive comment, so proxies do not close it.",
    parse_positive_int,
)
# Rate limits (core.ratelimit) count in the default cache: the in-process one by default, per
# process, which is what one machine with one worker needs. REDIS_URL shares them.

# --- Background work -----------------------------------------------------------------------

# A task is a row in the site's database, written in the transaction of the change that queues
# it (core.task_queue). django-tasks has no ENQUEUE_ON_COMMIT since 0.10: naming it does nothing.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
TASK_WORKER_LOST_SECONDS = declare(
    "TASK_WORKER_LOST_SECONDS",
    "120",
    "How long a task worker (manage.py db_worker) may go without saying it is alive before the "
    "scheduler takes it for stopped (killed, out of memory, its machine lost) and marks the task "
    "it was running as failed. A running worker says so every TASK_WORKER_LOST_SECONDS/4 "
    "seconds (at most every 10).",
    parse_positive_int,
)
TASK_ATTEMPTS = declare(
    "TASK_ATTEMPTS",
    "3",
    "How many times, in all, a background task is started when its task worker is lost while "
    "running it (killed, out of memory, its machine lost): the scheduler puts it back in the "
    "queue for another worker until it has been started this many times, then marks it failed. "
    "1 never runs a task again. A task that fails with an error of its own is not run again.",
    parse_positive_int,
)

TASK_RESULTS_KEEP_DAYS = declare(
    "TASK_RESULTS_KEEP_DAYS",
    "14",
    "How many days a finished background task's row (its arguments, its outcome, a failure's "
    "traceback) is kept before the scheduler deletes it, once a day with the reply digests "
    "(django-tasks-db's prune_db_task_results). A sealed account email and the ids of a reply "
    "or a moderation decision are what such rows hold. The records that allauth's emails were "
    "sent (accounts.AccountEmail) are deleted after as many days. 0 keeps them until deleted "
    "by hand.",
    parse_non_negative_int,
)

IP_RETENTION_DAYS = declare(
    "IP_RETENTION_DAYS",
    "90",
    "How many days readers' addresses and networks (a comment's address, a report's or a "
    "recommendation's network) are kept for moderation before the scheduler clears them, once "
    "a day with the reply digests; the comment, report or recommendation itself stays. 0 keeps "
    "them for good.",
    parse_non_negative_int,
)

# --- Security ------------------------------------------------------------------------------

# Every cookie the site sets (Django's, and its own through core.client, discussion's) is for
# SITE_BASE_URL's path: under a prefix, /news, so another site on the same host neither gets
# nor overwrites them (docs/deploy.md, "Under a path prefix"); at the root of a host, /.
SESSION_COOKIE_PATH = CSRF_COOKIE_PATH = LANGUAGE_COOKIE_PATH = cookie_path(SITE_BASE_URL)
# Django's cookie for messages ignores SESSION_COOKIE_PATH; this one follows it.
MESSAGE_STORAGE = "core.message_storage.MessagesUnderTheSitePath"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
CSRF_FAILURE_VIEW = "core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = declare(
    "SECURE_SSL_REDIRECT",
    "false",
    "Redirect plain HTTP to HTTPS. Turn on when the site is served over TLS.",
    parse_bool,
)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = declare(
    "SECURE_COOKIES",
    "false",
    "Send session and CSRF cookies only over HTTPS. Turn on when the site is served over TLS.",
    parse_bool,
)
SECURE_HSTS_SECONDS = declare(
    "SECURE_HSTS_SECONDS",
    "0",
    "How long, in seconds, a browser that has visited over HTTPS must use only HTTPS for this "
    "host (the Strict-Transport-Security header; a year is 31536000). 0 sends no header. Set it "
    "once the site is on HTTPS for good, or have the proxy send the header instead.",
    parse_non_negative_int,
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = declare(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "false",
    "With SECURE_HSTS_SECONDS, the header binds every subdomain of the host to HTTPS too. Turn "
    "on only when all of them serve HTTPS.",
    parse_bool,
)
SECURE_HSTS_PRELOAD = declare(
    "SECURE_HSTS_PRELOAD",
    "false",
    "With SECURE_HSTS_SECONDS, the header consents to the host being listed in browsers' "
    "built-in HTTPS-only list (hstspreload.org), which takes months to undo.",
    parse_bool,
)
_trusted_proxy = declare(
    "TRUSTED_PROXY_HEADER",
    "false",
    "Trust X-Forwarded-Proto from the proxy in front of the site (only when there is one).",
    parse_bool,
)
if _trusted_proxy:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
TRUSTED_PROXIES = declare(
    "TRUSTED_PROXIES",
    "",
    "Comma-separated addresses or networks (10.0.0.0/8) of the proxies in front of the site. "
    "X-Forwarded-For is believed only from these; from anyone else it is ignored. An entry that "
    "is neither stops start-up.",
    parse_networks,
)

# Argon2 first: new and changed passwords are hashed with it; older hashes still verify and are
# upgraded at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# Django's four validators, in the site's words (accounts.password_rules).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.password_rules.MinimumLength"},
    {"NAME": "accounts.password_rules.NotLikeTheAccount"},
    {"NAME": "accounts.password_rules.NotCommon"},
    {"NAME": "accounts.password_rules.NotOnlyNumbers"},
]

# --- Locale --------------------------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = declare(
    "TIME_ZONE",
    "Europe/London",
    "The newsroom's time zone: published and updated times are shown in it.",
    parse_time_zone,
)
USE_I18N = True
USE_TZ = True

# --- Files ---------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
SERVE_MEDIA = declare(
    "SERVE_MEDIA",
    "true",
    "Serve uploaded media from the app itself, at /media/: images shown, any other file saved "
    "as an attachment, all with nosniff and a sandbox, and no document (those are served at "
    "/documents/<id>/<name>, after a private collection's password). Turn off when a web server "
    'or object storage serves MEDIA_ROOT, which must then do the same (docs/deploy.md, "Behind '
    'a reverse proxy").',
    parse_bool,
)
STORAGES = {
    # Whitenoise's and Django's own, with URLs under a path prefix the site is served at.
    "default": {"BACKEND": "core.storages.MediaStorage"},
    "staticfiles": {"BACKEND": "core.storages.StaticStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
IMPORT_MAX_MB = declare(
    "IMPORT_MAX_MB",
    "2048",
    "The largest comment export (Disqus, WordPress or Broadsheet) manage.py import_comments or "
    "the admin's Import comments takes, in MiB; a bigger file is refused before anything is "
    "imported.",
    parse_positive_int,
)
IMPORT_RATE = declare(
    "IMPORT_RATE",
    "20/h",
    "How many imports one administrator may start in the admin's Import comments, uploads and "
    "runs again together, as count/period (s, m, h or d). Each upload is stored and read whole "
    "by the task worker; past it the form says when to try again and imports nothing. Uploads the "
    "form refuses (not an export of the platform chosen) count apart, at the same rate.",
    parse_rate,
)

# --- Wagtail -------------------------------------------------------------------------------

WAGTAIL_SITE_NAME = declare(
    "SITE_NAME", "The Broadsheet", "The publication's name, shown in the masthead and admin."
)
# Wagtail puts this in front of the paths it reverses for its emails (workflow and comment
# notifications, the admin's password reset), which carry the prefix already (above); with
# SITE_BASE_URL's prefix as well their links went to /news/news/admin/. The origin alone, then;
# a rendition's full_url is made from SITE_BASE_URL (newsroom.images.NewsRendition).
WAGTAILADMIN_BASE_URL = site_origin(SITE_BASE_URL)
WAGTAILIMAGES_IMAGE_MODEL = "newsroom.NewsImage"
LEAD_IMAGE_MIN_WIDTH = declare(
    "LEAD_IMAGE_MIN_WIDTH",
    "1200",
    "The narrowest lead image, in pixels, an article may be published with: its 16x9 crop is "
    "the og:image and the NewsArticle image (1600x900), and search engines ask for at least "
    "1200 pixels. A narrower one is refused on the lead image field. 0 turns the check off.",
    parse_non_negative_int,
)
IMAGE_AVIF_SPEED = declare(
    "IMAGE_AVIF_SPEED",
    "8",
    "How fast the AVIF encoder makes an image's AVIF renditions, from 0 (slowest, smallest "
    "files) to 10 (fastest, largest). A picture's renditions are made the first time a page "
    "shows it, and at Pillow's own 6 its three AVIF widths took about 2 s of CPU; 8 takes a "
    "fifth of that for files about 10% larger.",
    parse_avif_speed,
)
# The page a private page (a view restriction with a password) shows first, in the site's own
# layout; Wagtail's default is a bare page.
WAGTAIL_PASSWORD_REQUIRED_TEMPLATE = "newsroom/password_required.html"  # noqa: S105 (a template)
PAGE_PASSWORD_RATE = declare(
    "PAGE_PASSWORD_RATE",
    "10/m",
    "How many passwords one address (an IPv6 /64; behind `TRUSTED_PROXIES`, the reader's) may "
    "try on private pages' and private collections' (documents') password forms, counted "
    "together, right or wrong, as count/period (s, m, h or d); past "
    "it the form answers 429 and reads none.",
    parse_rate,
)
# The time zones an editor may choose in the admin's account settings. Wagtail offers every zone
# of the system's tz database, and Debian's holds "localtime" (a link to the machine's own zone),
# which browsers do not know: the account page's script stopped on it with a console error.
WAGTAIL_USER_TIME_ZONES = sorted(zoneinfo.available_timezones() - {"localtime"})
# Wagtail's database backend, with a reader's double quotes taken safely on SQLite (core.search).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "core.search"}}
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
WAGTAILDOCS_EXTENSIONS = ["pdf", "txt", "csv"]


def _url_or_none(raw: str) -> str | None:
    return raw.strip() or None


# No reader or staff data leaves the server by default: Wagtail would otherwise show staff
# avatars from gravatar.com (a hash of each email address, fetched by every browser that opens
# the admin) and have superusers' browsers ask releases.wagtail.org for new versions.
WAGTAIL_GRAVATAR_PROVIDER_URL = declare(
    "WAGTAIL_GRAVATAR_PROVIDER_URL",
    "",
    "Where the admin fetches avatars for staff who have not uploaded one, e.g. "
    "//www.gravatar.com/avatar (the browser sends it a hash of the staff member's email). "
    "Empty: no request leaves the server, and such staff get Wagtail's default avatar.",
    _url_or_none,
)
WAGTAIL_ENABLE_UPDATE_CHECK = declare(
    "WAGTAIL_ENABLE_UPDATE_CHECK",
    "false",
    "When true, a superuser's admin dashboard asks releases.wagtail.org whether a newer Wagtail "
    "is out. False: the admin makes no such request.",
    parse_bool,
)

# --- Discussion ----------------------------------------------------------------------------

COMMENT_MAX_LENGTH = declare(
    "COMMENT_MAX_LENGTH",
    "5000",
    "The longest comment a reader may post, in characters as the reader sees them (an emoji, a "
    "flag or an accented letter counts as one); a character of more than 32 code points, marks "
    "stacked on one letter, is refused.",
    parse_positive_int,
)
DISPLAY_NAME_MAX_LENGTH = declare(
    "DISPLAY_NAME_MAX_LENGTH",
    "50",
    "The longest display name a guest may give, in characters.",
    parse_positive_int,
)
COMMENTS_PAGE_SIZE = declare(
    "COMMENTS_PAGE_SIZE",
    "50",
    "How many top-level comments a thread shows before 'Show more comments'.",
    parse_positive_int,
)
REPLIES_SHOWN = declare(
    "REPLIES_SHOWN",
    "3",
    "How many replies show under each top-level comment before 'Show more replies'.",
    parse_positive_int,
)
REPLIES_PAGE_SIZE = declare(
    "REPLIES_PAGE_SIZE",
    "50",
    "How many replies each 'Show more replies' step loads.",
    parse_positive_int,
)
REPLY_DIGEST_HOUR = declare(
    "REPLY_DIGEST_HOUR",
    "7",
    "The hour (0-23, newsroom time) from which the scheduler sends the daily reply digests.",
    parse_int,
)
if not 0 <= REPLY_DIGEST_HOUR <= 23:
    raise ImproperlyConfigured("REPLY_DIGEST_HOUR must be an hour from 0 to 23.")
COMMENT_RATE_LIMIT = declare(
    "COMMENT_RATE_LIMIT",
    "10/m",
    "How many comments one address (an IPv6 /64; behind `TRUSTED_PROXIES`, the reader's) may "
    "post, as count/period (s, m, h or d), e.g. 10/m. A form sent again (a double click, a "
    "retry) is not counted twice.",
    parse_rate,
)
COMMENT_PREVIEW_RATE = declare(
    "COMMENT_PREVIEW_RATE",
    "30/m",
    "How many previews of a comment one address (an IPv6 /64) may ask for, as count/period, "
    "e.g. 30/m. A preview saves nothing but renders the text, so it has a limit of its own, "
    "apart from posting's.",
    parse_rate,
)
REACTION_LABEL = declare(
    "REACTION_LABEL",
    "Recommend",
    "The word on the button readers press to recommend a comment (one per reader per comment).",
)
STAFF_BADGE_LABEL = declare(
    "STAFF_BADGE_LABEL",
    "Staff",
    "The badge beside the name of a comment's author who was on the newsroom's staff (a member "
    "who may use the admin) when they wrote it, so readers can tell a reporter's answer from "
    "anyone's; also beside a staff member's name on their reader profile, while they are on the "
    "staff. Empty shows no badge.",
)
REACTION_RATE_LIMIT = declare(
    "REACTION_RATE_LIMIT",
    "30/m",
    "How many reactions one reader (an account, a guest cookie, or an address without one) may "
    "add or take back, as count/period, e.g. 30/m.",
    parse_rate,
)
REACTION_NEW_GUEST_RATE = declare(
    "REACTION_NEW_GUEST_RATE",
    "10/h",
    "How many guests' first recommendations one address (an IPv6 /64) may send, as "
    "count/period: a guest's without a guest cookie, or with one that has not recommended "
    "before (whichever form handed it out). Each fresh identity costs one, so this bounds what "
    "dropping or collecting cookies can add; a guest who keeps their cookie is limited per "
    "cookie alone (REACTION_RATE_LIMIT).",
    parse_rate,
)

from broadsheet.settings_accounts import *  # noqa: E402,F403  (reader identity, mail)

ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_BASE_URL.startswith("https:") else "http"
DEFAULT_FROM_EMAIL = SERVER_EMAIL = DEFAULT_FROM_EMAIL or default_from_email(  # noqa: F405
    site_name=WAGTAIL_SITE_NAME, base_url=SITE_BASE_URL
)

EMBED_FRAME_ANCESTORS = declare(
    "EMBED_FRAME_ANCESTORS",
    "*",
    "Which sites may show an article's comments in the embed (/embed/articles/<id>/), as a CSP "
    "frame-ancestors list such as 'https://partner.example https://*.example.org'; * lets any "
    "site (the embed only reads: it has no buttons or forms to trick a reader into), and "
    "'none' turns embedding off.",
    parse_frame_ancestors,
)

# --- Moderation ----------------------------------------------------------------------------


def _parse_mode(raw: str) -> str:
    if raw.strip() not in {"post", "pre"}:
        raise ValueError("expected post or pre")
    return raw.strip()


def _parse_count(raw: str) -> int:
    return parse_non_negative_int(raw)


MODERATION_MODE = declare(
    "MODERATION_MODE",
    "post",
    "Site-wide moderation mode: post (publish, review afterwards) or pre (hold every comment "
    "for review). Sections and articles can override it in the admin.",
    _parse_mode,
)
MODERATION_CLOSE_AFTER_DAYS = declare(
    "MODERATION_CLOSE_AFTER_DAYS",
    "0",
    "Close comments on an article this many days after it was first published; 0 never closes.",
    _parse_count,
)
MODERATION_RULES_MAX_STALE_MS = declare(
    "MODERATION_RULES_MAX_STALE_MS",
    "1000",
    "How long an app process trusts the moderation rules, thresholds and page settings it last "
    "read before asking the cache whether they changed. A change saved through another app "
    "process reaches this one's screening and comment forms within this time (through the same "
    "process at once); 0 asks on every comment and every thread drawn.",
    _parse_count,
)
MODERATION_TRUST_FIRST_COMMENTS = declare(
    "MODERATION_TRUST_FIRST_COMMENTS",
    "2",
    "Hold a new commenter's first N comments for a moderator; 0 turns this off.",
    _parse_count,
)
MODERATION_RATE_PER_READER = declare(
    "MODERATION_RATE_PER_READER",
    "5/m",
    "How many comments one reader (account or guest cookie) may post, as count/period.",
    parse_rate,
)
MODERATION_RATE_PER_IP = declare(
    "MODERATION_RATE_PER_IP",
    "120/h",
    "How many comments one address may post, as count/period (generous: offices share one).",
    parse_rate,
)
MODERATION_REGEX_TIMEOUT_MS = declare(
    "MODERATION_REGEX_TIMEOUT_MS",
    "50",
    "The most CPU time one regular-expression rule may take on one comment, in milliseconds; "
    "past it the comment is held for a person. On a busy server posting waits at most four "
    "times this on the clock.",
    parse_positive_int,
)
MODERATION_REPORTS_TO_HOLD = declare(
    "MODERATION_REPORTS_TO_HOLD",
    "3",
    "How many reader reports, from as many different addresses (an IPv6 /64; behind "
    "`TRUSTED_PROXIES`, the reader's), take a published comment down for review.",
    parse_positive_int,
)
MODERATION_QUEUE_SEARCH_DEPTH = declare(
    "MODERATION_QUEUE_SEARCH_DEPTH",
    "10000",
    "How many of a moderation queue's comments one page of its text search or reason filter "
    "looks through, newest first. Finding less than a page there, the page says so and offers "
    "to search the next, older ones. Higher finds more per page, and each page takes longer "
    "(about 10 ms per 1,000 comments on PostgreSQL on two cores).",
    parse_positive_int,
)
MODERATION_TRANSPARENCY_CACHE_SECONDS = declare(
    "MODERATION_TRANSPARENCY_CACHE_SECONDS",
    "300",
    "How long the public transparency report (/transparency/ and its CSV) shows this month's "
    "figures before counting them again; the page says they may be that far behind. Finished "
    "months do not change and are counted once a day at most. 0 counts this month for every "
    "request.",
    parse_non_negative_int,
)
MODERATION_CAMPAIGN_READERS = declare(
    "MODERATION_CAMPAIGN_READERS",
    "3",
    "How many different readers posting near-identical comments (of 8 words or more) within "
    "MODERATION_CAMPAIGN_HOURS make a coordinated campaign: its comments are held and it is "
    "listed under Campaigns in the admin.",
    parse_positive_int,
)
MODERATION_CAMPAIGN_HOURS = declare(
    "MODERATION_CAMPAIGN_HOURS",
    "6",
    "How far back, in hours, campaign detection compares each new comment with the others.",
    parse_positive_int,
)
MODERATION_RECOMMENDING_MINUTES = declare(
    "MODERATION_RECOMMENDING_MINUTES",
    "60",
    "How far back, in minutes, the scheduler looks for a burst of recommendations on one "
    "comment (coordinated recommending: Campaigns in the admin).",
    parse_positive_int,
)
MODERATION_RECOMMENDING_REACTIONS = declare(
    "MODERATION_RECOMMENDING_REACTIONS",
    "10",
    "How many recommendations one comment must get within MODERATION_RECOMMENDING_MINUTES "
    "before they are looked at as a possible coordinated push.",
    parse_positive_int,
)
MODERATION_RECOMMENDING_SHARE = declare(
    "MODERATION_RECOMMENDING_SHARE",
    "75",
    "The share, in percent, of such a burst that must come from readers new to the site or "
    "from networks that sent more than one of them for it to be listed as coordinated "
    "recommending. Nothing is done to it until a moderator decides.",
    parse_percent,
)
MODERATION_REPORTING_HOURS = declare(
    "MODERATION_REPORTING_HOURS",
    "24",
    "How far back, in hours, the scheduler compares reports across one author's comments "
    "(coordinated reporting: Campaigns in the admin).",
    parse_positive_int,
)
MODERATION_REPORTING_COMMENTS = declare(
    "MODERATION_REPORTING_COMMENTS",
    "3",
    "How many of one author's comments a network (or a reader with no network recorded) must "
    "report within MODERATION_REPORTING_HOURS for it to be listed as a suspected mass report.",
    parse_positive_int,
)
MODERATION_REPORT_RATE = declare(
    "MODERATION_REPORT_RATE",
    "10/m",
    "How many reports one reader or address may send, as count/period.",
    parse_rate,
)
MODERATION_STAFF_RATE = declare(
    "MODERATION_STAFF_RATE",
    "120/m",
    "How many changes one staff member may make in the moderation admin (a queue action, a bulk "
    "action, an appeal or campaign decision, a rule, threshold or page setting saved or "
    "deleted), as count/period. A bulk action counts once. Past it the change is refused, "
    "changing nothing, with the note and ticked comments kept.",
    parse_rate,
)
MODERATION_APPEAL_DAYS = declare(
    "MODERATION_APPEAL_DAYS",
    "183",
    "How many days after a decision its author may appeal (six months by default).",
    parse_positive_int,
)
MODERATION_APPEAL_RATE = declare(
    "MODERATION_APPEAL_RATE",
    "10/h",
    "How many appeals one reader or address may send, as count/period (an appeal refused for "
    "its text counts too). Past it the statement's form answers 429, with the text kept.",
    parse_rate,
)
AKISMET_API_KEY = declare(
    "AKISMET_API_KEY",
    "",
    "When set, every comment is also checked by Akismet (this sends its text to Akismet). "
    "Empty: no text leaves the server.",
)
AKISMET_URL = declare(
    "AKISMET_URL", "https://rest.akismet.com", "Akismet's address (change only for testing)."
)
AKISMET_TIMEOUT = declare(
    "AKISMET_TIMEOUT",
    "3",
    "Seconds to wait for Akismet before posting goes on without its opinion.",
    parse_positive_int,
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
