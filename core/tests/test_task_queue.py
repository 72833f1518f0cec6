"""core.task_queue: a task queued with a change is the row django-tasks-db's own ``enqueue``
writes, so its workers take and run it the same way; and a backend that keeps no rows (the
tests' immediate one, which runs a task as it is queued) is handed the task only once the
change commits, so what the task does (an email) still comes after the commit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import task

from core.task_queue import task_enqueue

pytestmark = pytest.mark.django_db

ran: list[str] = []

# What django-tasks-db writes for a task, but the id and the time it was queued.
COLUMNS = (
    "status",
    "args_kwargs",
    "priority",
    "task_path",
    "worker_ids",
    "queue_name",
    "backend_name",
    "run_after",
    "return_value",
    "exception_class_path",
    "traceback",
)


@task(priority=5)
def note_down(*, note: str) -> None:
    ran.append(note)


@pytest.mark.parametrize("later", [False, True], ids=["now", "later"])
def test_a_task_queued_with_a_change_is_the_row_django_tasks_db_writes(later):
    queued_task = note_down.using(
        run_after=timezone.now() + timedelta(minutes=2) if later else None
    )

    ours = task_enqueue(queued_task, note="kept").row
    theirs = queued_task.enqueue(note="kept").db_result

    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert [getattr(ours, name) for name in COLUMNS] == [getattr(theirs, name) for name in COLUMNS]
    assert ours.pk != theirs.pk


def test_a_backend_keeping_no_rows_runs_the_task_only_once_the_change_commits(
    settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    ran.clear()

    with django_capture_on_commit_callbacks(execute=True):
        queued = task_enqueue(note_down, note="after the commit")
        assert queued.row is None
        assert ran == []

    assert ran == ["after the commit"]
