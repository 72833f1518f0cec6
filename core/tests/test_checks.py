"""`manage.py check` says when the Redis that REDIS_URL names does not answer."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from core.checks import redis_answers

CLOSED_PORT = "redis://127.0.0.1:1/0"  # nothing listens on port 1 of loopback


def test_a_redis_that_does_not_answer_is_an_error_naming_redis_url(settings):
    settings.REDIS_URL = CLOSED_PORT
    [error] = redis_answers()
    assert error.is_serious()
    assert error.id == "core.E001"
    assert error.msg.startswith("REDIS_URL: Redis did not answer a PING")
    assert "127.0.0.1:1" in error.msg


def test_manage_py_check_reports_it(settings):
    settings.REDIS_URL = CLOSED_PORT
    with pytest.raises(SystemCheckError, match=r"core\.E001.*REDIS_URL"):
        call_command("check", tags=["caches"])
    with pytest.raises(SystemCheckError, match=r"core\.E001"):
        call_command("check", tags=["caches"], deploy=True)


def test_without_redis_url_nothing_is_asked(settings):
    settings.REDIS_URL = ""
    assert redis_answers() == []


@pytest.mark.skipif(not settings.REDIS_URL, reason="with Redis (REDIS_URL) only")
def test_the_configured_redis_passes():
    assert redis_answers() == []
