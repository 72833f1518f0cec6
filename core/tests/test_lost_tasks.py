"""A background task whose worker died does not stay "running" for good: each worker beats a
heartbeat while it runs, and the scheduler's pass queues the tasks of workers that stopped beating
again, up to TASK_ATTEMPTS starts in all, then fails them (core.workers). A worker killed
mid-task, and the next worker sending what it was sending, is in
discussion/tests/test_reply_email_worker_killed.py."""

from __future__ import annotations

import signal
from datetime import UTC, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.models import WorkerHeartbeat
from core.tests.processes import database_shared_with_processes, wait_for, worker
from core.workers import Heartbeat
from discussion.tasks import reply_notification_send


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.TASK_WORKER_LOST_SECONDS = 60
    settings.TASK_ATTEMPTS = 3


def _running(worker_id: str, *, started_ago: timedelta) -> DBTaskResult:
    """A task a worker took ``started_ago``, and has not finished."""
    result = DBTaskResult.objects.get(pk=reply_notification_send.enqueue(comment_id=1).id)
    result.claim(worker_id)
    DBTaskResult.objects.filter(pk=result.pk).update(started_at=timezone.now() - started_ago)
    return result


def _status(result: DBTaskResult) -> str:
    return DBTaskResult.objects.get(pk=result.pk).status


def _taken_again(result: DBTaskResult, worker_id: str, *, started_ago: timedelta) -> None:
    """The next worker takes ``result`` (queued again), and is lost in turn."""
    result = DBTaskResult.objects.get(pk=result.pk)
    assert result.status == TaskResultStatus.READY
    result.claim(worker_id)
    DBTaskResult.objects.filter(pk=result.pk).update(started_at=timezone.now() - started_ago)


@pytest.mark.django_db
def test_the_scheduler_queues_again_a_task_whose_worker_stopped_beating_and_says_since_when():
    lost = _running("worker-a", started_ago=timedelta(minutes=10))
    last_beat = timezone.now() - timedelta(minutes=5)
    WorkerHeartbeat.objects.create(
        worker_id="worker-a", started_at=last_beat - timedelta(hours=1), beat_at=last_beat
    )

    call_command("run_scheduler", once=True, stdout=StringIO())

    queued = DBTaskResult.objects.get(pk=lost.pk)
    assert queued.status == TaskResultStatus.READY
    assert queued.task_result.attempts == 1  # the attempt lost; the next worker adds its id
    assert queued.exception_class_path == "core.workers.WorkerLost"
    assert (
        "attempt 1 of 3 was lost: the worker running this task stopped (no heartbeat since "
        f"{last_beat.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC; worker worker-a)"
    ) in queued.traceback
    assert queued.finished_at is None
    # The dead worker's heartbeat is forgotten.
    assert not WorkerHeartbeat.objects.exists()


@pytest.mark.django_db
def test_a_task_lost_with_its_worker_each_time_is_failed_after_task_attempts_starts():
    lost = _running("worker-1", started_ago=timedelta(minutes=10))
    call_command("fail_lost_tasks", verbosity=0)
    _taken_again(lost, "worker-2", started_ago=timedelta(minutes=5))
    call_command("fail_lost_tasks", verbosity=0)
    _taken_again(lost, "worker-3", started_ago=timedelta(minutes=2))
    out = StringIO()

    call_command("fail_lost_tasks", stdout=out)

    failed = DBTaskResult.objects.get(pk=lost.pk)
    assert failed.status == TaskResultStatus.FAILED
    assert failed.worker_ids == ["worker-1", "worker-2", "worker-3"]
    assert failed.exception_class_path == "core.workers.WorkerLost"
    assert "no heartbeat since it took the task at" in failed.traceback
    assert "worker worker-3); after 3 attempts" in failed.traceback
    assert failed.finished_at is not None
    assert "0 tasks queued again, 1 task failed." in out.getvalue()


@pytest.mark.django_db
def test_the_scheduler_says_which_attempt_a_task_queued_again_will_be():
    lost = _running("worker-1", started_ago=timedelta(minutes=10))
    out = StringIO()

    call_command("fail_lost_tasks", stdout=out)

    assert (
        f"Task {lost.pk} (discussion.tasks.reply_notification_send) queued again for attempt "
        "2 of 3: the worker running this task stopped"
    ) in out.getvalue()
    assert "1 task queued again, 0 tasks failed." in out.getvalue()


@pytest.mark.django_db
def test_with_task_attempts_1_a_lost_task_is_failed_at_once(settings):
    settings.TASK_ATTEMPTS = 1
    lost = _running("worker-a", started_ago=timedelta(minutes=10))

    call_command("fail_lost_tasks", verbosity=0)

    failed = DBTaskResult.objects.get(pk=lost.pk)
    assert failed.status == TaskResultStatus.FAILED
    assert failed.traceback.rstrip().endswith("after 1 attempt")


@pytest.mark.django_db
def test_a_task_whose_worker_beats_is_left_running_however_long_it_has_run():
    long_task = _running("worker-b", started_ago=timedelta(hours=3))
    WorkerHeartbeat.objects.create(
        worker_id="worker-b",
        started_at=timezone.now() - timedelta(hours=4),
        beat_at=timezone.now() - timedelta(seconds=5),
    )

    call_command("fail_lost_tasks", verbosity=0)

    assert _status(long_task) == TaskResultStatus.RUNNING


@pytest.mark.django_db
def test_a_worker_whose_clock_runs_an_hour_behind_the_schedulers_is_still_seen_beating(
    monkeypatch,
):
    """The workers and the scheduler may run on machines whose clocks disagree: a beat is
    timed by the database's clock, so a worker whose machine is an hour behind is not taken for
    lost (and its task failed) while it runs it."""
    task = _running("worker-slow-clock", started_ago=timedelta(minutes=5))
    real_now = timezone.now
    # The worker's machine: its clock an hour behind the scheduler's (and the database's).
    monkeypatch.setattr(timezone, "now", lambda: real_now() - timedelta(hours=1))
    Heartbeat(worker_id="worker-slow-clock").beat()
    monkeypatch.setattr(timezone, "now", real_now)

    call_command("fail_lost_tasks", verbosity=0)

    assert _status(task) == TaskResultStatus.RUNNING


@pytest.mark.django_db
def test_a_worker_with_no_heartbeat_is_lost_once_its_task_started_longer_ago_than_the_limit():
    # A worker started before heartbeats existed, or whose row is gone.
    old = _running("worker-c", started_ago=timedelta(seconds=61))
    recent = _running("worker-c", started_ago=timedelta(seconds=30))

    call_command("fail_lost_tasks", verbosity=0)

    assert _status(old) == TaskResultStatus.READY
    assert "no heartbeat since it took the task at" in DBTaskResult.objects.get(pk=old.pk).traceback
    assert _status(recent) == TaskResultStatus.RUNNING


@pytest.mark.django_db
def test_a_worker_started_again_under_the_same_id_has_the_task_it_had_taken_queued_at_once():
    # Killed, then restarted by its service manager with a fixed --worker-id, a moment ago.
    taken_before = _running("worker-d", started_ago=timedelta(seconds=20))
    WorkerHeartbeat.objects.create(
        worker_id="worker-d",
        started_at=timezone.now() - timedelta(seconds=2),
        beat_at=timezone.now(),
    )

    call_command("fail_lost_tasks", verbosity=0)

    queued = DBTaskResult.objects.get(pk=taken_before.pk)
    assert queued.status == TaskResultStatus.READY
    assert "started again at" in queued.traceback


# Its data (Wagtail's root page, content types) put back for the transactional tests after it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_running_worker_keeps_a_heartbeat_and_removes_it_when_stopped_cleanly(tmp_path):
    with database_shared_with_processes(tmp_path) as env:
        process = worker({**env, "TASK_WORKER_LOST_SECONDS": "1"}, "--worker-id=beating")
        try:
            wait_for(lambda: WorkerHeartbeat.objects.filter(worker_id="beating").exists(), "a beat")
            first = WorkerHeartbeat.objects.get().beat_at
            wait_for(
                lambda: WorkerHeartbeat.objects.get().beat_at > first, "a second beat", seconds=5
            )
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=15) == 0
        finally:
            process.kill()
            process.wait()
        assert not WorkerHeartbeat.objects.exists()
