"""A rule saved through one app process reaches the others' screening within
``MODERATION_RULES_MAX_STALE_MS``, and through the same process at once.

Another process's save is played here as it reaches this one: the rule is in the database and the
shared cache holds a new version token, but nothing in this process was told.
"""

from __future__ import annotations

import secrets

import pytest
from django.core.cache import cache

from discussion.models import Comment
from discussion.services import comment_create
from discussion.tests.factories import make_thread
from moderation import rules
from moderation.models import Rule

pytestmark = pytest.mark.django_db

TEXT = "The minister is a scoundrel."


def _saved_by_another_process() -> None:
    Rule.objects.bulk_create([Rule(kind=Rule.Kind.SUSPECT, pattern="scoundrel")])  # no signal
    cache.set(rules._VERSION_KEY, secrets.token_hex(8), timeout=None)


def _post(thread, n: int) -> Comment:
    return comment_create(thread=thread, body=f"{TEXT} ({n})", author_name=f"Reader {n}")


def test_a_rule_saved_elsewhere_applies_here_once_the_trusted_time_is_over(settings, monkeypatch):
    settings.MODERATION_RULES_MAX_STALE_MS = 1000
    clock = [1000.0]
    monkeypatch.setattr(rules.time, "monotonic", lambda: clock[0])
    thread = make_thread()
    assert _post(thread, 1).status == Comment.Status.PUBLISHED  # the rules are read here

    _saved_by_another_process()
    clock[0] += 0.5
    within = _post(thread, 2)
    clock[0] += 0.6
    after = _post(thread, 3)

    assert within.status == Comment.Status.PUBLISHED
    assert after.status == Comment.Status.PENDING


def test_with_no_trusted_time_a_rule_saved_elsewhere_applies_to_the_next_comment(settings):
    settings.MODERATION_RULES_MAX_STALE_MS = 0
    thread = make_thread()
    assert _post(thread, 1).status == Comment.Status.PUBLISHED

    _saved_by_another_process()

    assert _post(thread, 2).status == Comment.Status.PENDING


def test_a_rule_saved_through_this_process_applies_to_the_next_comment(settings):
    settings.MODERATION_RULES_MAX_STALE_MS = 60_000
    thread = make_thread()
    assert _post(thread, 1).status == Comment.Status.PUBLISHED

    Rule.objects.create(kind=Rule.Kind.SUSPECT, pattern="scoundrel")

    assert _post(thread, 2).status == Comment.Status.PENDING


def test_a_drawing_after_the_site_token_moved_does_not_trust_older_rules(settings):
    """A page's moderation settings saved through another process: the row, then the rules'
    version and the ``site`` token bumped on commit. Whatever the trusted time, anything drawn
    after reading ``site`` (which the page cache may keep under it) sees the new settings."""
    from core import pagecache
    from moderation.models import ModerationSettings

    settings.MODERATION_RULES_MAX_STALE_MS = 60_000
    thread = make_thread()
    pagecache.tokens(["site"])
    assert rules.current().pages_close is False

    ModerationSettings.objects.bulk_create(
        [ModerationSettings(page_id=thread.page_id, close_after_days=3)]  # no signal
    )
    cache.set(rules._VERSION_KEY, secrets.token_hex(8), timeout=None)
    cache.set(pagecache.token_key("site"), secrets.token_hex(8), timeout=None)
    trusted = rules.current().pages_close
    pagecache.tokens(["site"])  # what a drawing reads first

    assert (trusted, rules.current().pages_close) == (False, True)
