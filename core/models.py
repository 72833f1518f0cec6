"""What core keeps in the database: the task workers' heartbeats (core.workers), and how far
each kind of readers' address has been cleared (core.retention)."""

from __future__ import annotations

from django.db import models


class WorkerHeartbeat(models.Model):
    """A running task worker (``manage.py db_worker``), as it last said it was alive.

    The worker writes its row when it starts, beats it every few seconds while it runs, and
    deletes it when it stops cleanly; a worker killed outright leaves its row to go stale, and
    that is how the scheduler knows its task will never finish (core.workers)."""

    worker_id = models.CharField(primary_key=True, max_length=64)
    started_at = models.DateTimeField(help_text="When this worker process started.")
    beat_at = models.DateTimeField(help_text="The last time it said it was alive.")
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True)

    def __str__(self) -> str:
        return f"task worker {self.worker_id} on {self.host} (pid {self.pid})"


class RetentionMark(models.Model):
    """How far one registered kind of address (``core.retention.register``'s name) has been
    cleared: every row recorded before ``cleared_before`` holds none any more, so the daily pass
    starts there rather than walking, through the time index, every row it cleared before."""

    name = models.CharField(primary_key=True, max_length=100)
    cleared_before = models.DateTimeField(
        null=True,
        help_text="Every row of this kind recorded before this time has had its address cleared "
        "(none known: null).",
    )

    def __str__(self) -> str:
        return f"{self.name} cleared before {self.cleared_before}"
