"""The shared Redis cache counts in one round trip, as Django's own counts in two."""

from __future__ import annotations

import uuid

import pytest
from django.conf import settings
from django.core.cache import cache

from core.tests.redis_commands import commands_naming

pytestmark = pytest.mark.skipif(
    not settings.REDIS_URL, reason="the Redis cache backend runs when REDIS_URL is set"
)


@pytest.fixture
def key():
    name = f"test-incr-{uuid.uuid4().hex}"
    yield name
    cache.delete(name)


def test_a_counter_counts_up_from_its_value(key):
    cache.set(key, 5, timeout=60)

    assert [cache.incr(key), cache.incr(key, 10)] == [6, 16]
    assert cache.get(key) == 16


def test_counting_a_missing_counter_is_refused_and_makes_nothing(key):
    with pytest.raises(ValueError):
        cache.incr(key)

    assert cache.get(key) is None


def test_counting_keeps_the_counters_expiry(key):
    cache.set(key, 1, timeout=60)

    cache.incr(key)

    assert 0 < cache._cache.get_client(write=True).ttl(cache.make_key(key)) <= 60


def test_a_count_is_one_command_on_the_server(key):
    cache.set(key, 1, timeout=60)
    cache.incr(key)  # the script is sent once; afterwards only its digest

    sent = commands_naming([cache.make_key(key)], lambda: cache.incr(key))

    assert sent == ["EVALSHA"]  # Django's own: EXISTS, then INCRBY
