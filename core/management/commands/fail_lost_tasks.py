"""``manage.py fail_lost_tasks``: fail the background tasks whose worker stopped (core.workers).

``manage.py run_scheduler`` runs it on every pass; this is for a site that runs its periodic
jobs from cron instead.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from core.workers import tasks_lost_fail


class Command(BaseCommand):
    help = (
        "Mark as failed each running background task whose worker has not said it is alive "
        "for TASK_WORKER_LOST_SECONDS (killed, out of memory, its machine lost)."
    )

    def handle(self, *args, **options) -> None:
        failed = tasks_lost_fail()
        if options["verbosity"]:
            self.stdout.write(f"{len(failed):,} task{'' if len(failed) == 1 else 's'} failed.")
