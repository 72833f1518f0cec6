"""Background tasks queued with the change that calls for them (a transactional outbox).

The site's task backend is django-tasks-db's ``DatabaseBackend`` (``TASKS`` in
broadsheet/settings.py): a task is a row of ``django_tasks_database_dbtaskresult``, in the same
database as the comments, actions and imports that call for tasks. So the row is written in the
transaction of its change: workers see it exactly when the change commits, and never without it.
It was queued in ``transaction.on_commit``, after the commit: a process that died in between
(a deploy, the out-of-memory killer, SIGKILL) lost the task for good, and the reader never had
their statement of reasons, their reply email, their import.

django-tasks has no setting for this. Its ``ENQUEUE_ON_COMMIT`` option (queue on commit, the
default) was removed in django-tasks 0.10, as Django's own tasks have none: from then on
``enqueue`` writes the row there and then, in whatever transaction is open, and a TASKS entry
naming ``ENQUEUE_ON_COMMIT`` is ignored. Calling ``task.enqueue`` inside the transaction would
do; these helpers also keep a task off a backend that holds no rows until the change commits,
and hand a row to a change written as one statement (a reader's reply: discussion.services).

- :func:`task_enqueue` queues a task with the change open on the connection: call it inside
  that change's ``transaction.atomic`` block. Outside any transaction the row is written, and
  committed, at once (the change before it has committed already).
- :func:`task_queued` makes the row without writing it, for a caller whose change is one
  statement of its own (``core.db.insert_select``); the caller calls :meth:`QueuedTask.written`
  once that statement has run.

Side effects still wait for the commit: the worker runs the task only once its row is committed,
and a backend that keeps no rows in this database (django-tasks' immediate backend, in tests,
which runs the task as it is queued; a Redis-backed one) is given the task once the change
commits (``transaction.on_commit``), as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django_tasks.base import Task
from django_tasks.signals import task_enqueued
from django_tasks.utils import normalize_json
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from core import db


@dataclass
class QueuedTask:
    """A task queued with a change (:func:`task_queued`): ``row`` is its row, for the caller to
    write with the change; None where the task's backend keeps no rows in the database (it is
    given the task once the change commits, by :meth:`written`)."""

    task: Task
    kwargs: dict[str, Any]
    row: DBTaskResult | None

    def written(self) -> None:
        """Say the change has been written, with ``row`` (if any) among its rows: django-tasks'
        ``task_enqueued`` is sent for the row, or the task is handed to its backend once the
        change commits. Call it once, after the statement or inside the transaction."""
        if self.row is None:
            task, kwargs = self.task, self.kwargs
            transaction.on_commit(lambda: task.enqueue(**kwargs))
            return
        task_enqueued.send(type(self.task.get_backend()), task_result=self.row.task_result)


def task_queued(task: Task, /, **kwargs: Any) -> QueuedTask:
    """``task(**kwargs)`` queued, not yet written: its row as django-tasks-db's
    ``DatabaseBackend.enqueue`` writes it (ready, to run as soon as a worker is free or at the
    task's ``run_after``), for the caller to write in the statement of its change, then call
    :meth:`QueuedTask.written`. Its row is None where the backend keeps none. Its id is the
    model's default (a random UUID), as the backend's is without an ``id_function`` option,
    which the site does not set."""
    backend = task.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return QueuedTask(task, kwargs, None)
    backend.validate_task(task)
    row = DBTaskResult(
        args_kwargs=normalize_json({"args": [], "kwargs": kwargs}),
        priority=task.priority,
        task_path=task.module_path,
        queue_name=task.queue_name,
        run_after=task.run_after,  # None: django-tasks-db's pre_save makes it "whenever"
        backend_name=backend.alias,
    )
    return QueuedTask(task, kwargs, row)


def task_enqueue(task: Task, /, **kwargs: Any) -> QueuedTask:
    """Queue ``task(**kwargs)`` with the change open on the connection: its row is written in
    that transaction, so a worker takes it once the change commits, and never if it rolls back.
    Call it inside the change's ``transaction.atomic`` block."""
    queued = task_queued(task, **kwargs)
    if queued.row is not None:
        db.insert(queued.row)
    queued.written()
    return queued
