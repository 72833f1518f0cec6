"""Background work: an export a superuser uploaded in the admin, imported by the task worker."""

from __future__ import annotations

from django_tasks import task

from importers import services


@task()
def import_run(*, run_id: int) -> str:
    """Import the uploaded file of ``ImportRun`` ``run_id``; answers the run's final status."""
    return services.import_run_execute(run_id=run_id)
