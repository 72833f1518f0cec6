"""An import whose task worker is killed part-way does not stay "Importing" for good: the
scheduler's next pass finds the worker stopped beating (core.workers), the import stops with the
reason, and the admin runs it again, without copies of what was imported before. One whose
worker is told twice to stop (SIGTERM, Ctrl-C) ends the same way, at once."""

from __future__ import annotations

import signal
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.tests.processes import (
    wait_for,
    wait_for_heartbeats_older_than,
    wait_for_output,
    worker,
)
from core.workers import database_now
from discussion.models import Comment
from importers.models import ImportRun
from importers.services import BATCH
from importers.tests.held_imports import COMMENTS, LIMIT, URL, held_mid_import
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


# What django-tasks-db's worker says when it hears its first SIGTERM, and its second.
HEARD = "shutting down gracefully"


def _import_task() -> DBTaskResult:
    return DBTaskResult.objects.get(task_path="importers.tasks.import_run")


@pytest.fixture
def killed_mid_import(client, boss, site, akismet) -> ImportRun:
    """An import whose worker was killed (SIGKILL) part-way, and the scheduler's pass after
    that."""
    run, process = held_mid_import(client, site, akismet, make_article())
    process.kill()
    process.wait()
    wait_for_heartbeats_older_than(LIMIT)
    call_command("run_scheduler", once=True, stdout=StringIO())
    return ImportRun.objects.get(pk=run.pk)


def test_a_killed_workers_import_is_failed_by_the_scheduler_with_the_reason(
    client, killed_mid_import
):
    task = _import_task()
    assert task.status == TaskResultStatus.FAILED
    assert "the worker running this task stopped (no heartbeat since" in task.traceback
    assert killed_mid_import.status == ImportRun.Status.FAILED
    reason = (
        f"The task worker stopped while importing this file (it was killed, or its machine "
        f"stopped): {BATCH - 1} comments were imported before it stopped, and are kept. Run it "
        "again: comments already imported are not imported twice."
    )
    assert killed_mid_import.problem == reason
    page = client.get(f"{URL}{killed_mid_import.pk}/").content.decode()
    assert "Stopped" in page
    assert reason in page
    assert "Run it again" in page


@pytest.fixture
def told_twice_to_stop_mid_import(client, boss, site, akismet) -> ImportRun:
    """An import whose worker was told twice to stop (SIGTERM: systemd's stop, then the
    operator's second try) part-way: the first asks it to finish its task before it stops, the
    second ends the task there."""
    run, process = held_mid_import(client, site, akismet, make_article())
    try:
        process.send_signal(signal.SIGTERM)
        wait_for_output(process, HEARD)
        # The second a second after the first is heard. Two signals at once are one to Python:
        # one that comes while the first's handler is still running runs inside it, before the
        # worker has noted the first, and is taken for a first again; sent again and again at
        # that moment (one CI run), the worker never exited.
        time.sleep(1)
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    finally:
        process.kill()
        process.wait()
    return ImportRun.objects.get(pk=run.pk)


def test_an_import_whose_worker_is_told_twice_to_stop_stops_with_the_reason(
    client, told_twice_to_stop_mid_import
):
    run = told_twice_to_stop_mid_import
    assert run.status == ImportRun.Status.FAILED
    reason = (
        "The task worker was stopped while importing this file (told twice to stop, it did not "
        f"wait for the import to finish): {BATCH - 1} comments were imported before it stopped, "
        "and are kept. Run it again: comments already imported are not imported twice."
    )
    assert run.problem == reason
    page = client.get(f"{URL}{run.pk}/").content.decode()
    assert "Stopped" in page
    assert reason in page
    assert "Run it again" in page


@pytest.mark.parametrize("stopped", ["killed_mid_import", "told_twice_to_stop_mid_import"])
def test_an_import_run_again_after_its_worker_stopped_finishes_without_copies(
    client, request, stopped, site
):
    run = request.getfixturevalue(stopped)
    response = client.post(f"{URL}{run.pk}/again/")
    assert response.status_code == 302
    assert ImportRun.objects.get().status == ImportRun.Status.QUEUED

    process = worker(site, "--batch")
    assert process.wait(timeout=60) == 0, process.stdout.read().decode()

    page = client.get(f"{URL}{run.pk}/").content.decode()
    assert "Done" in page
    assert f"{COMMENTS - BATCH + 1} comments imported (0 of them held for review)" in page
    assert f"{BATCH - 1:,} already here" in page
    assert Comment.objects.count() == COMMENTS
    assert not Comment.objects.values("idempotency_key").annotate(n=Count("pk")).filter(n__gt=1)
    assert "Run it again" not in page


def test_an_import_whose_worker_is_alive_is_not_failed_however_long_it_takes(
    client, boss, site, akismet
):
    run, process = held_mid_import(client, site, akismet, make_article())
    try:
        # Held up, with its worker beating, past the limit by the database's clock: beats that
        # came only between comments would be stale by then.
        held = database_now()
        wait_for(
            lambda: database_now() - held > timedelta(seconds=LIMIT * 1.5),
            "the import to be held past the limit",
        )

        call_command("run_scheduler", once=True, stdout=StringIO())

        assert _import_task().status == TaskResultStatus.RUNNING
        assert ImportRun.objects.get().status == ImportRun.Status.IMPORTING
        akismet.released.set()
        wait_for(lambda: ImportRun.objects.get().finished, "the import to finish")
        assert ImportRun.objects.get().status == ImportRun.Status.DONE
        assert Comment.objects.count() == COMMENTS
    finally:
        process.kill()
        process.wait()


# Three batches' worth: told to stop while the second is held, the import stops after it.
MANY = 3 * BATCH


@pytest.fixture
def told_once_to_stop_mid_import(client, boss, site, akismet) -> ImportRun:
    """An import whose worker was told once to stop (SIGTERM: systemd's stop) while its second
    batch was held up; then the batch is let through."""
    run, process = held_mid_import(client, site, akismet, make_article(), comments=MANY)
    try:
        process.send_signal(signal.SIGTERM)
        wait_for_output(process, HEARD)  # heard before the batch is let through
        akismet.released.set()
        assert process.wait(timeout=60) == 0, process.stdout.read().decode()
    finally:
        process.kill()
        process.wait()
    return ImportRun.objects.get(pk=run.pk)


def test_an_import_whose_worker_is_told_to_stop_stops_after_its_batch(
    client, told_once_to_stop_mid_import
):
    run = told_once_to_stop_mid_import
    assert run.status == ImportRun.Status.FAILED
    assert Comment.objects.count() == run.imported == 2 * BATCH - 1
    reason = (
        "The task worker was told to stop while importing this file, and stopped once the "
        f"comments it was writing were saved: {2 * BATCH - 1:,} comments were imported before it "
        "stopped, and are kept. Run it again: comments already imported are not imported twice."
    )
    assert run.problem == reason
    page = client.get(f"{URL}{run.pk}/").content.decode()
    assert reason in page
    assert "Run it again" in page


def test_an_import_told_to_stop_runs_again_to_its_end_without_copies(
    client, told_once_to_stop_mid_import, site
):
    run = told_once_to_stop_mid_import
    assert client.post(f"{URL}{run.pk}/again/").status_code == 302

    process = worker(site, "--batch")
    assert process.wait(timeout=60) == 0, process.stdout.read().decode()

    assert ImportRun.objects.get().status == ImportRun.Status.DONE
    assert Comment.objects.count() == MANY
    assert not Comment.objects.values("idempotency_key").annotate(n=Count("pk")).filter(n__gt=1)
