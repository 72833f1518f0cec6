"""Shared pytest set-up: each test starts with empty caches (rate limits live there), and each
pytest process keeps its Redis database (and, in a parallel run, its var folder) to itself."""

import os
import time
import uuid
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.hashers import (
    Argon2PasswordHasher,
    get_hashers,
    get_hashers_by_algorithm,
)
from django.core.cache import cache, caches

from core import pagecache
from tests import dbtemplate

REDIS_DATABASES = 16  # Redis's default number of databases (0-15)


class QuickArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2, as the site hashes passwords, at the lowest cost Argon2 allows. The tests make a
    few hundred accounts (factories, load_demo's staff and demo reader), and each hash at the
    site's cost takes a tenth of a second of a core: about 25 s of every run. The hashes are
    still Argon2 hashes (accounts' tests check that), and the servers the browser tests start
    keep the site's own cost."""

    time_cost = 1
    memory_cost = 8  # KiB: Argon2's least, 8 x parallelism
    parallelism = 1


def _worker_index(config: pytest.Config) -> int | None:
    """This process's number in a parallel run (pytest-xdist's gw0, gw1, ...); 0 in a run that
    is not parallel; None in a parallel run's controller, which runs no test."""
    if hasattr(config, "workerinput"):
        return int(config.workerinput["workerid"].removeprefix("gw"))
    if getattr(config.option, "dist", "no") != "no" and getattr(config.option, "tx", None):
        return None
    return 0


def _redis_url_with_database(url: str, database: int) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{database}"))


# Test modules whose tests share one database set-up, kept open in a transaction while they run
# (newsroom/tests/conftest.py's demo_loaded_once): a parallel run gives each to one process whole.
TESTS_SHARING_A_SET_UP = (
    "newsroom/tests/test_demo_as_loaded.py",
    "newsroom/tests/test_demo_reactions.py",
)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """A parallel run hands each test to whichever process comes free, except the browser tests
    (tests/e2e), which all go to one process, first: they share one live site, whose set-up
    (the demo's 10,000-comment thread) is the longest step of the suite, and one PostgreSQL
    database named after the outer one. (pytest-xdist's ``--dist loadgroup`` would do it with a
    mark, but its group names do not reach the scheduler under pytest 9.2.)"""
    if config.getoption("dist") == "each":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class BrowserTestsTogether(LoadScopeScheduling):
        # A work unit per test, but one for all the browser tests and one for each module in
        # TESTS_SHARING_A_SET_UP; the largest unit goes first.
        def _split_scope(self, nodeid: str) -> str:
            if nodeid.startswith("tests/e2e/"):
                return "tests/e2e"
            module = nodeid.split("::", 1)[0]
            return module if module in TESTS_SHARING_A_SET_UP else nodeid

    return BrowserTestsTogether(config, log)


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    index = _worker_index(config)
    _share_the_runs_migrated_template(config)
    if index is None:
        return
    _hash_passwords_quickly()
    if django_settings.REDIS_URL:
        _use_a_redis_database_of_its_own(index)
    if hasattr(config, "workerinput"):
        _use_a_var_folder_of_its_own(config.workerinput["workerid"])


def _share_the_runs_migrated_template(config: pytest.Config) -> None:
    """The run's processes (and the browser tests' site) share one migrated template database
    (tests/dbtemplate.py), named after the run's id: pytest-xdist's, which its controller hands
    each worker, or a new one in a run that is not parallel."""
    if hasattr(config, "workerinput"):
        run = config.workerinput["testrunuid"]
    else:
        if getattr(config.option, "testrunuid", "") is None:
            config.option.testrunuid = uuid.uuid4().hex  # the controller's, for its workers
        run = getattr(config.option, "testrunuid", None) or uuid.uuid4().hex
        os.environ.setdefault(
            dbtemplate.FOLDER_VARIABLE, str(Path(django_settings.VAR_DIR) / "test-templates")
        )
    os.environ[dbtemplate.RUN_VARIABLE] = run


def pytest_sessionfinish(session: pytest.Session) -> None:
    if not hasattr(session.config, "workerinput"):  # the controller, or a run that is not parallel
        dbtemplate.remove()


def _hash_passwords_quickly() -> None:
    django_settings.PASSWORD_HASHERS = [
        f"{__name__}.QuickArgon2PasswordHasher"
        if path == "django.contrib.auth.hashers.Argon2PasswordHasher"
        else path
        for path in django_settings.PASSWORD_HASHERS
    ]
    get_hashers.cache_clear()
    get_hashers_by_algorithm.cache_clear()


def _use_a_redis_database_of_its_own(index: int) -> None:
    """Tests empty the cache (FLUSHDB), and the live events of thread 1 in one process's test
    database would reach a reader of thread 1 in another's: so each pytest process takes a Redis
    database of its own, REDIS_URL's + 1 + its number, and the servers the browser tests start
    keep REDIS_URL's own (tests/e2e/conftest.py). Subprocesses a test starts (a management
    command bumping the page cache, say) inherit it through the environment."""
    configured = django_settings.REDIS_URL
    database = int(urlsplit(configured).path.strip("/") or 0) + 1 + index
    if database >= REDIS_DATABASES:
        raise pytest.UsageError(
            f"REDIS_URL={configured} leaves no Redis database for test process {index} "
            f"(it would be {database}); use a lower database number or fewer workers (-n)."
        )
    url = _redis_url_with_database(configured, database)
    os.environ["BROADSHEET_TEST_SERVER_REDIS_URL"] = configured
    os.environ["REDIS_URL"] = django_settings.REDIS_URL = url
    django_settings.CACHES = {
        **django_settings.CACHES,
        "default": {**django_settings.CACHES["default"], "LOCATION": url},
    }
    caches.__dict__.pop("settings", None)  # read again from the settings just changed


def _use_a_var_folder_of_its_own(worker: str) -> None:
    """Without Redis, the page cache's bumps from other processes arrive through a file in
    VAR_DIR (core.pagecache): a parallel run's processes would see each other's bumps."""
    var_dir = Path(django_settings.VAR_DIR) / f"pytest-{worker}"
    var_dir.mkdir(parents=True, exist_ok=True)
    os.environ["BROADSHEET_VAR_DIR"] = str(var_dir)
    django_settings.VAR_DIR = var_dir


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """pytest-django's test database is made from the run's migrated template
    (tests/dbtemplate.py) rather than migrated here: Django's ``create_test_db`` migrates it with
    ``call_command("migrate", ...)``, which, while pytest-django sets the database up, copies the
    template in instead (``django_db_setup`` below puts ``call_command`` back)."""
    from django.core import management
    from django.db import connections

    migrate_for_real = management.call_command

    def call_command(name, *args, **options):
        if name == "migrate" and options.get("run_syncdb") and not args:
            dbtemplate.copy_into_connection(connections[options.get("database", "default")])
            return None
        return migrate_for_real(name, *args, **options)

    management.call_command = call_command
    _migrate_for_real.append(migrate_for_real)


_migrate_for_real: list = []


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """On PostgreSQL, the test database's tables are left out of autovacuum. Tests roll back what
    they write, but PostgreSQL counts those rows as changes, and autovacuum analyses a table at
    a moment of its choosing, so the planner's statistics would depend on how fast the run is and
    how it is shared out. A test that pins a plan gathers the statistics it needs itself
    (ANALYZE, as discussion/tests/test_sorts.py does), and every other test sees the same ones
    from run to run."""
    from django.core import management
    from django.db import connection

    if _migrate_for_real:
        management.call_command = _migrate_for_real.pop()
    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT format('ALTER TABLE %I.%I SET (autovacuum_enabled = false)', "
                "schemaname, tablename) FROM pg_tables WHERE schemaname = current_schema()"
            )
            for (statement,) in cursor.fetchall():
                cursor.execute(statement)
    _newsroom_base(django_db_blocker)
    yield


def _newsroom_base(django_db_blocker) -> None:
    """The newsroom's home page, in place of Wagtail's "Welcome" page, and the default section,
    made once as the test database is made (``newsroom_base_ensure``), rather than by each test
    that makes an article. The contents a ``serialized_rollback`` test is given back are taken
    again, with them."""
    from django.db import connections

    from newsroom.tests.factories import newsroom_base_ensure

    with django_db_blocker.unblock():
        newsroom_base_ensure()
        for connection in connections.all(initialized_only=True):
            if getattr(connection, "_test_serialized_contents", None) is not None:
                connection._test_serialized_contents = connection.creation.serialize_db_to_string()


@pytest.fixture(autouse=True)
def _empty_cache():
    # The page cache's per-process copies go too: they would otherwise trust token values that
    # the cleared cache (and the rolled-back database) no longer hold.
    cache.clear()
    caches["fragments"].clear()
    from discussion.services import threads_forget  # models: not at conftest's import
    from moderation import rules

    pagecache.local_clear()
    rules.local_clear()
    threads_forget()
    yield
    cache.clear()
    caches["fragments"].clear()
    pagecache.local_clear()
    rules.local_clear()
    threads_forget()


@pytest.fixture(autouse=True)
def _rate_windows_stand_still(monkeypatch):
    """The rate limits count in fixed windows (core.ratelimit): a test that goes past a
    ``2/m`` limit would, now and then, see its third try land in the next minute and be let
    through. In a test the limits' clock stands at the moment the test started, so every try
    counts in one window (what the tests of Retry-After compute from stands still with it)."""
    from core import ratelimit

    started = time.time()
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: started))


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Tests render templates without running collectstatic first."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "core.storages.PlainStaticStorage"},
    }


@pytest.fixture(autouse=True)
def _new_commenters_publish_straight_away(settings):
    """Most tests post as a brand-new guest and expect to see their comment at once. Holding a
    new commenter's first comments is moderation's behaviour, tested (switched back on) there."""
    settings.MODERATION_TRUST_FIRST_COMMENTS = 0


@pytest.fixture(autouse=True)
def _views_on_the_test_thread(settings):
    """Requests driven through the ASGI application (broadsheet.asgi) run their view on the
    test's own thread, inside its database transaction; the browser tests' real servers use the
    default pool of APP_THREADS."""
    settings.APP_THREADS = 0  # tests only: asgiref's thread-sensitive path (core.django_threads)
