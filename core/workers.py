"""Task workers that say they are alive, and the tasks of workers that stopped without finishing.

django-tasks-db marks a task RUNNING when a worker takes it, and SUCCESSFUL or FAILED when that
worker is done with it. A worker killed outright (SIGKILL, out of memory, its machine lost) is
done with nothing, and its task would stay RUNNING for good. So:

- **Each worker beats.** ``manage.py db_worker`` (core's subclass of django-tasks-db's command)
  keeps a :class:`~core.models.WorkerHeartbeat` row for its worker id: written as it starts,
  beaten every few seconds by a thread of its own (a long task does not stop it), deleted when
  it stops cleanly (SIGTERM, Ctrl-C, ``--batch`` done). On SQLite, which one machine serves,
  the worker also holds a lock file in ``BROADSHEET_VAR_DIR`` for its life (core.locks), which
  the kernel lets go of when it dies: SQLite has one write lock for the whole database, and a
  worker's own long write (a batch of an import) can keep its beat waiting for it.
- **The scheduler looks.** On every pass, ``manage.py fail_lost_tasks`` finds each RUNNING task
  whose worker has not beaten for ``TASK_WORKER_LOST_SECONDS`` (or has no heartbeat at all and
  took the task that long ago, or has started again since it took it).
- **And runs it again, a bounded number of times.** Such a task goes back to READY, for the next
  worker to take, until it has been started ``TASK_ATTEMPTS`` times in all. The count is
  django-tasks' own: each worker that takes a task adds its id to ``worker_ids``
  (``TaskResult.attempts``, and ``TaskContext.attempt`` for a task that takes its context), so the
  row shows every attempt, and the reason the last one was lost stays in its ``traceback`` until
  a later attempt succeeds. Every task must therefore be safe to run twice: the attempt before
  may have done part of its work, or all of it, before its worker died (the reply email records
  its sending: discussion.notifications). A task whose app has its own way back
  (:func:`not_run_again_when_lost`: an admin import, which its page offers to run again) and a
  task out of attempts are failed instead, with :class:`WorkerLost` as their error, and
  django-tasks' ``task_finished`` is sent for them in the same transaction, as the worker would
  have: an app whose task it was puts its own records right there (importers: the ImportRun says
  the worker stopped, and offers to run it again). A task that fails with an error of its own is
  never run again: that is the task's answer, not a lost worker's (an email task that the mail
  server refused for now queues a new task of its own for later: core.email_tasks).

Beats are timed by the database's clock, not the worker's: the workers and the scheduler may
run on machines whose clocks disagree, and a worker whose clock ran behind the scheduler's by
more than ``TASK_WORKER_LOST_SECONDS`` had every beat read as stale, so its tasks were failed
while it ran them.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import socket
import threading
import traceback
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import connection, transaction
from django.db.models import QuerySet
from django.db.models.functions import Now
from django.utils import timezone
from django_tasks.base import Task, TaskResultStatus
from django_tasks.signals import task_finished
from django_tasks_db.models import DBTaskResult

from core.locks import held_alone
from core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


class WorkerLost(Exception):
    """A task's worker stopped before it finished the task (the error a lost task fails with)."""


WORKER_LOST = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"


_stop_asked = threading.Event()


def stop_asked() -> bool:
    """Whether this process's task worker has been told to stop (SIGTERM, Ctrl-C, once): it
    stops once its task ends, so a long task (an import) ends at its next safe point, resumable,
    rather than running on for minutes first (``manage.py db_worker``)."""
    return _stop_asked.is_set()


def ask_to_stop() -> None:
    """Note that this process's task worker has been told to stop (:func:`stop_asked`)."""
    _stop_asked.set()


def lost_after() -> timedelta:
    return timedelta(seconds=settings.TASK_WORKER_LOST_SECONDS)


def beat_every() -> float:
    """Seconds between a worker's beats: several beats to each TASK_WORKER_LOST_SECONDS, so one
    late beat (a busy database) does not make a worker look lost; never more than 10."""
    return max(0.25, min(10.0, settings.TASK_WORKER_LOST_SECONDS / 4))


def database_now() -> datetime:
    """The time by the database's clock, which times every worker's beats (``Now()``, the
    statement's time on PostgreSQL), whichever machine the worker runs on. SQLite is a file on
    one machine: its workers' clock and this one are the same."""
    if connection.vendor != "postgresql":
        return timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("SELECT STATEMENT_TIMESTAMP()")
        return cursor.fetchone()[0]


def _lock_name(worker_id: str) -> str:
    """The name of the lock a worker holds for its life on SQLite (a file name, whatever the
    worker id holds)."""
    return f"task-worker-{hashlib.sha256(worker_id.encode()).hexdigest()[:32]}"


def _when(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"


class Heartbeat:
    """A running worker's heartbeat: :meth:`start` before it takes a task, :meth:`stop` when it
    stops cleanly."""

    def __init__(self, *, worker_id: str) -> None:
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock: contextlib.AbstractContextManager[bool] | None = None

    def start(self) -> None:
        if connection.vendor == "sqlite":
            self._lock = held_alone(_lock_name(self.worker_id))
            if not self._lock.__enter__():
                raise RuntimeError(
                    f"Another task worker with the id {self.worker_id!r} is running on this "
                    "machine; each worker needs an id of its own (--worker-id)."
                )
        # Written before the worker takes its first task: a task is never taken by a worker
        # that has no row, or whose row says it started after the task did.
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "started_at": self.started_at,
                "beat_at": Now(),
                "host": socket.gethostname()[:255],
                "pid": os.getpid(),
            },
        )
        self._thread = threading.Thread(
            target=self._beat_until_stopped, name="task-worker-heartbeat", daemon=True
        )
        self._thread.start()

    def beat(self) -> None:
        now = Now()  # the database's clock (see the module's docstring)
        if not WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(beat_at=now):
            # The scheduler took this worker for lost (beats held up for longer than
            # TASK_WORKER_LOST_SECONDS): it is alive, so it says so again.
            WorkerHeartbeat.objects.create(
                worker_id=self.worker_id,
                started_at=self.started_at,
                beat_at=now,
                host=socket.gethostname()[:255],
                pid=os.getpid(),
            )

    def _beat_until_stopped(self) -> None:
        try:
            while not self._stopping.wait(beat_every()):
                try:
                    self.beat()
                except Exception:  # a busy or unreachable database: beat again next time
                    logger.warning("task worker %s could not beat", self.worker_id, exc_info=True)
                finally:
                    connection.close()  # this thread's own; not held between beats
        finally:
            connection.close()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join()
        WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
        if self._lock is not None:
            self._lock.__exit__(None, None, None)


def _alive_by_lock(worker_id: str) -> bool:
    """On SQLite: whether a worker of this machine holds ``worker_id``'s lock (it is running).
    Elsewhere False: the heartbeat alone says."""
    if connection.vendor != "sqlite":
        return False
    with held_alone(_lock_name(worker_id)) as alone:
        return not alone


def _why_lost(
    result: DBTaskResult, beats: dict[str, WorkerHeartbeat], deadline: datetime
) -> str | None:
    """Why ``result``'s worker is taken to have stopped, or None while it may still be running
    it."""
    worker_id = result.worker_ids[-1] if result.worker_ids else ""
    beat = beats.get(worker_id)
    if beat is not None and result.started_at is not None and beat.started_at > result.started_at:
        return (
            f"the worker running this task stopped (it started again at {_when(beat.started_at)} "
            f"without finishing it; worker {worker_id})"
        )
    last_sign = beat.beat_at if beat is not None else result.started_at
    if last_sign is None or last_sign >= deadline or _alive_by_lock(worker_id):
        return None
    if beat is None:
        return (
            "the worker running this task stopped (no heartbeat since it took the task at "
            f"{_when(last_sign)}; worker {worker_id or 'unknown'})"
        )
    return (
        f"the worker running this task stopped (no heartbeat since {_when(last_sign)}; "
        f"worker {worker_id})"
    )


_NOT_RUN_AGAIN: set[str] = set()


def not_run_again_when_lost(task: Task) -> None:
    """Fail ``task`` at once when its worker is lost, rather than run it again: for a task whose
    app tells its user and offers its own way to carry on (``AppConfig.ready()`` calls this)."""
    _NOT_RUN_AGAIN.add(task.module_path)


def attempts_allowed() -> int:
    return settings.TASK_ATTEMPTS


@dataclass(frozen=True)
class LostTask:
    """What became of one task whose worker was lost."""

    id: str
    task_path: str
    attempts: int
    run_again: bool
    why: str

    def __str__(self) -> str:
        if self.run_again:
            return (
                f"Task {self.id} ({self.task_path}) queued again for attempt "
                f"{self.attempts + 1} of {attempts_allowed()}: {self.why}"
            )
        return f"Task {self.id} ({self.task_path}) failed: {self.why}"


def _still_lost(result: DBTaskResult) -> QuerySet[DBTaskResult]:
    """``result``'s row, while it is still the attempt found lost: RUNNING, and not taken
    since by another worker (a task queued again has a new ``started_at`` once taken)."""
    return DBTaskResult.objects.filter(
        pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
    )


def _run_again(result: DBTaskResult, why: str) -> bool:
    """Put ``result`` back in the queue, if it is still RUNNING, noting why; whether it was
    here. Its ``worker_ids`` are kept: the next worker's id is added to them, so they count
    the attempts."""
    attempt = len(result.worker_ids)
    note = WorkerLost(f"attempt {attempt} of {attempts_allowed()} was lost: {why}")
    queued = _still_lost(result).update(
        status=TaskResultStatus.READY,
        exception_class_path=WORKER_LOST,
        traceback="".join(traceback.format_exception_only(note)),
    )
    if queued:
        logger.warning(
            "Task id=%s path=%s queued again for attempt %d of %d: %s",
            result.pk,
            result.task_path,
            attempt + 1,
            attempts_allowed(),
            why,
        )
    return bool(queued)


def _fail(result: DBTaskResult, why: str) -> bool:
    """Fail ``result`` as lost, if it is still RUNNING, and tell ``task_finished``'s receivers
    in the same transaction; whether it was failed here."""
    error = WorkerLost(why)
    with transaction.atomic():
        failed = _still_lost(result).update(
            status=TaskResultStatus.FAILED,
            finished_at=timezone.now(),
            return_value=None,
            exception_class_path=WORKER_LOST,
            traceback="".join(traceback.format_exception_only(error)),
        )
        if not failed:  # finished meanwhile, or failed by another pass
            return False
        result.refresh_from_db()
        logger.warning("Task id=%s path=%s failed: %s", result.pk, result.task_path, why)
        try:
            task_result = result.task_result
        except (ImportError, SuspiciousOperation):  # a task whose code is gone: nobody to tell
            return True
        task_finished.send(sender=type(task_result.task.get_backend()), task_result=task_result)
    return True


def _what_next(result: DBTaskResult, why: str) -> LostTask:
    """Whether ``result``, whose worker was lost, runs again or fails, and why."""
    attempts = len(result.worker_ids)
    if result.task_path in _NOT_RUN_AGAIN:
        return LostTask(str(result.pk), result.task_path, attempts, False, why)
    if attempts < attempts_allowed():
        return LostTask(str(result.pk), result.task_path, attempts, True, why)
    tries = f"{attempts} attempt{'' if attempts == 1 else 's'}"
    return LostTask(str(result.pk), result.task_path, attempts, False, f"{why}; after {tries}")


def tasks_lost_recover() -> list[LostTask]:
    """Queue again, or fail, every RUNNING task whose worker stopped (see the module's
    docstring), and forget the heartbeats of workers that stopped; what became of each task."""
    deadline = database_now() - lost_after()
    running = list(DBTaskResult.objects.running())
    beats = {beat.worker_id: beat for beat in WorkerHeartbeat.objects.all()}
    lost = []
    for result in running:
        why = _why_lost(result, beats, deadline)
        if why is None:
            continue
        outcome = _what_next(result, why)
        done = _run_again(result, why) if outcome.run_again else _fail(result, outcome.why)
        if done:
            lost.append(outcome)
    for beat in beats.values():
        if beat.beat_at < deadline and not _alive_by_lock(beat.worker_id):
            WorkerHeartbeat.objects.filter(worker_id=beat.worker_id, beat_at=beat.beat_at).delete()
    return lost
