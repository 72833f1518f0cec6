"""Background work: an export a superuser uploaded in the admin, imported by the task worker, and
what becomes of it when that worker stops part-way."""

from __future__ import annotations

from django_tasks import task

from core.workers import WORKER_LOST
from importers import services


@task()
def import_run(*, run_id: int) -> str:
    """Import the uploaded file of ``ImportRun`` ``run_id``; answers the run's final status."""
    return services.import_run_execute(run_id=run_id)


def import_run_task_finished(*, task_result, **kwargs) -> None:
    """``task_finished``'s receiver (importers.apps): an import whose task worker stopped
    without finishing it (core.workers failed its task) stops, saying so."""
    if task_result.task.module_path != import_run.module_path:
        return
    if task_result.errors and task_result.errors[-1].exception_class_path == WORKER_LOST:
        services.import_run_lost(run_id=task_result.kwargs["run_id"])
