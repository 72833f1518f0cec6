"""At most one process of a site holds a job's lock at a time (core.locks): the scheduler's pass
runs in one process while a second scheduler skips."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from wagtail.models import Revision

from core.locks import held_alone, lock_id
from newsroom.tests.factories import make_section

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def held_by_another_process(name: str) -> Iterator[None]:
    """``name``'s lock as another process would hold it: another PostgreSQL session, or another
    open file on SQLite's machine."""
    if connection.vendor == "postgresql":
        import psycopg

        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        params.pop("prepare_threshold", None)
        with psycopg.connect(**params, autocommit=True) as other:
            assert other.execute("SELECT pg_try_advisory_lock(%s)", [lock_id(name)]).fetchone()[0]
            yield
            # Let go of it before closing: a closed session's locks go only once its server
            # process has ended, a moment after the client returns.
            other.execute("SELECT pg_advisory_unlock(%s)", [lock_id(name)])
        return
    with held_alone(name) as held:
        assert held
        yield


def test_a_lock_another_process_holds_is_refused_at_once_and_taken_once_let_go():
    with held_by_another_process("job"), held_alone("job") as held:
        assert held is False
    with held_alone("job") as held:
        assert held is True


def test_different_jobs_do_not_share_a_lock():
    with held_by_another_process("one job"), held_alone("another job") as held:
        assert held is True


def _article_due_now():
    from newsroom.models import ArticlePage

    section = make_section()
    article = ArticlePage(
        title="Due now",
        slug="due-now",
        standfirst="An article whose time has come.",
        body=[{"type": "paragraph", "value": "<p>Text.</p>"}],
        live=False,
        go_live_at=timezone.now() + timedelta(minutes=1),
    )
    section.add_child(instance=article)
    article.save_revision().publish()
    past = timezone.now() - timedelta(seconds=1)
    for revision in Revision.objects.filter(object_id=str(article.pk)):
        revision.content["go_live_at"] = past.isoformat()
        revision.approved_go_live_at = past
        revision.save(update_fields=["content", "approved_go_live_at"])
    return article


def test_a_second_scheduler_skips_its_pass_while_another_pass_runs(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    article = _article_due_now()

    with held_by_another_process("run_scheduler"):
        call_command("run_scheduler", once=True)
        article.refresh_from_db()
        assert not article.live  # the other scheduler's pass publishes it, not this one

    call_command("run_scheduler", once=True)
    article.refresh_from_db()
    assert article.live
