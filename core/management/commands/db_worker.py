"""``manage.py db_worker``: django-tasks-db's worker, which also says it is alive (core.workers).

Django finds this command before django-tasks-db's (core comes first in INSTALLED_APPS), so
operators run the worker as before; every option is django-tasks-db's. While it runs it beats
its heartbeat every few seconds, and it deletes it when it stops cleanly, so that the
scheduler can tell a task whose worker was killed from one still running, and queue it again.

A task it takes that a lost worker had taken before (the scheduler queued it again) is logged
with its attempt, e.g. "attempt 2 of 3".

Told once to stop (SIGTERM, Ctrl-C), the worker finishes its task, as django-tasks-db's does;
the task hears of it (core.workers.stop_asked), so a long one (an import) ends at its next safe
point rather than running on for minutes. Told twice, it ends the task at once.
"""

from __future__ import annotations

import logging
import os

from django.conf import settings
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from core.workers import Heartbeat, ask_to_stop

logger = logging.getLogger("django_tasks_db")  # the worker's own log, which it prints


class Worker(db_worker.Worker):
    def shutdown(self, signum, frame) -> None:
        ask_to_stop()
        super().shutdown(signum, frame)

    def run_task(self, db_task_result) -> None:
        attempt = len(db_task_result.worker_ids)  # this worker's id was just added
        if attempt > 1:
            logger.warning(
                "Task id=%s path=%s: attempt %d of %d (the worker of the attempt before was lost)",
                db_task_result.id,
                db_task_result.task_path,
                attempt,
                settings.TASK_ATTEMPTS,
            )
        super().run_task(db_task_result)


class Command(db_worker.Command):
    help = (
        "Run a database background worker, beating its heartbeat while it runs so that a task "
        "whose worker was killed is run again by another (manage.py fail_lost_tasks)."
    )

    def handle(self, *, worker_id: str, reload: bool, batch: bool, **options) -> None:
        # With --reload the first process only watches the code and starts the worker proper
        # again in a process of its own: that one beats.
        if reload and not batch and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            super().handle(worker_id=worker_id, reload=reload, batch=batch, **options)
            return
        heartbeat = Heartbeat(worker_id=worker_id)
        heartbeat.start()
        # django-tasks-db's handle() makes its worker from its module's Worker: this one, which
        # also tells the task it is running when it is told to stop.
        original, db_worker.Worker = db_worker.Worker, Worker
        try:
            super().handle(worker_id=worker_id, reload=reload, batch=batch, **options)
        finally:
            db_worker.Worker = original
            heartbeat.stop()
