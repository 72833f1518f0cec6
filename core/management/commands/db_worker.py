"""``manage.py db_worker``: django-tasks-db's worker, which also says it is alive (core.workers).

Django finds this command before django-tasks-db's (core comes first in INSTALLED_APPS), so
operators run the worker as before; every option is django-tasks-db's. While it runs it beats
its heartbeat every few seconds, and it deletes it when it stops cleanly, so that the
scheduler can tell a task whose worker was killed from one still running.
"""

from __future__ import annotations

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from core.workers import Heartbeat


class Command(db_worker.Command):
    help = (
        "Run a database background worker, beating its heartbeat while it runs so that a task "
        "whose worker was killed is failed by the scheduler (manage.py fail_lost_tasks)."
    )

    def handle(self, *, worker_id: str, reload: bool, batch: bool, **options) -> None:
        # With --reload the first process only watches the code and starts the worker proper
        # again in a process of its own: that one beats.
        if reload and not batch and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            super().handle(worker_id=worker_id, reload=reload, batch=batch, **options)
            return
        heartbeat = Heartbeat(worker_id=worker_id)
        heartbeat.start()
        try:
            super().handle(worker_id=worker_id, reload=reload, batch=batch, **options)
        finally:
            heartbeat.stop()
