"""Finished background tasks' rows do not pile up for good: the scheduler deletes, once a day,
those finished more than TASK_RESULTS_KEEP_DAYS days ago (docs/deploy.md, "What a task's row
keeps")."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from discussion.tasks import reply_notification_send

pytestmark = pytest.mark.django_db


def _task_row(*, status: str, finished_days_ago: int | None) -> str:
    result = reply_notification_send.enqueue(comment_id=1)
    finished = None if finished_days_ago is None else timezone.now() - timedelta(finished_days_ago)
    DBTaskResult.objects.filter(pk=result.id).update(status=status, finished_at=finished)
    return str(result.id)


@pytest.fixture
def rows(settings):
    settings.REPLY_DIGEST_HOUR = 0  # the daily jobs are due at any hour
    return {
        "sent long ago": _task_row(status="SUCCESSFUL", finished_days_ago=20),
        "failed long ago": _task_row(status="FAILED", finished_days_ago=20),
        "sent yesterday": _task_row(status="SUCCESSFUL", finished_days_ago=1),
        "waiting": _task_row(status="READY", finished_days_ago=None),
    }


def _left(rows: dict[str, str]) -> list[str]:
    kept = {str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)}
    return [name for name, pk in rows.items() if pk in kept]


def test_the_scheduler_deletes_the_rows_of_tasks_finished_before_the_days_kept(rows, settings):
    settings.TASK_RESULTS_KEEP_DAYS = 14

    call_command("run_scheduler", once=True, stdout=StringIO())

    assert _left(rows) == ["sent yesterday", "waiting"]


def test_no_days_kept_keeps_every_row(rows, settings):
    settings.TASK_RESULTS_KEEP_DAYS = 0

    call_command("run_scheduler", once=True, stdout=StringIO())

    assert _left(rows) == list(rows)
