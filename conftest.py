"""Shared pytest set-up: each test starts with empty caches (rate limits live there)."""

import pytest
from django.core.cache import cache, caches

from core import pagecache


@pytest.fixture(autouse=True)
def _empty_cache():
    # The page cache's per-process copies go too: they would otherwise trust token values that
    # the cleared cache (and the rolled-back database) no longer hold.
    cache.clear()
    caches["fragments"].clear()
    pagecache.local_clear()
    yield
    cache.clear()
    caches["fragments"].clear()
    pagecache.local_clear()


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Tests render templates without running collectstatic first."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
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
