"""The records that allauth's emails were sent (accounts.AccountEmail, one per email) do not pile
up for good: the scheduler deletes, once a day with the finished tasks' rows, those written more
than TASK_RESULTS_KEEP_DAYS days ago, when no task is left to send their emails again."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import AccountEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(settings) -> None:
    settings.REPLY_DIGEST_HOUR = 0  # the daily jobs are due at any hour
    for name, days_ago in (("sent long ago", 20), ("sent yesterday", 1)):
        record = AccountEmail.objects.create(message_id=f"<{name}@test>", sent_at=timezone.now())
        AccountEmail.objects.filter(pk=record.pk).update(
            created_at=timezone.now() - timedelta(days=days_ago)
        )


def _left() -> list[str]:
    return sorted(AccountEmail.objects.values_list("message_id", flat=True))


@pytest.mark.usefixtures("records")
def test_the_scheduler_deletes_the_records_written_before_the_days_kept(settings):
    settings.TASK_RESULTS_KEEP_DAYS = 14

    call_command("run_scheduler", once=True, stdout=StringIO())

    assert _left() == ["<sent yesterday@test>"]
