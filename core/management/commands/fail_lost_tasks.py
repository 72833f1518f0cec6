"""``manage.py fail_lost_tasks``: queue again, or fail, the background tasks whose worker stopped
(core.workers).

``manage.py run_scheduler`` runs it on every pass; this is for a site that runs its periodic
jobs from cron instead. The name is kept from when a lost task was only failed, so that the
crontabs written then go on working.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from core.workers import tasks_lost_recover


class Command(BaseCommand):
    help = (
        "Queue again each running background task whose worker has not said it is alive for "
        "TASK_WORKER_LOST_SECONDS (killed, out of memory, its machine lost), until it has been "
        "started TASK_ATTEMPTS times; then mark it failed."
    )

    def handle(self, *args, **options) -> None:
        lost = tasks_lost_recover()
        if not options["verbosity"]:
            return
        for task in lost:
            self.stdout.write(str(task))
        again = sum(task.run_again for task in lost)
        failed = len(lost) - again
        self.stdout.write(
            f"{again:,} task{'' if again == 1 else 's'} queued again, "
            f"{failed:,} task{'' if failed == 1 else 's'} failed."
        )
