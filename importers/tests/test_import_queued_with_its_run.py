"""An admin import's task is queued with its run: the task's row commits with the uploaded run
(or with "Run it again"), or not at all. It was queued once the run had committed
(``transaction.on_commit``), so an app process killed in that moment (a deploy, the
out-of-memory killer) left the import "Waiting for the task worker" for good, with no task for
any worker to take. Run outside a test transaction, as the app runs a request."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.tests.processes import killed_at_commit
from discussion.tests.test_reply_email_refused_for_now import _work
from importers.models import ImportRun
from importers.services import import_run_again, import_run_create
from importers.tests.test_admin_import import _export
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TASK_PATH = "importers.tasks.import_run"


class LaterStepFailed(Exception):
    """What the caller did next, in the same transaction, failed."""


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.VAR_DIR = tmp_path


@pytest.fixture
def boss(django_user_model):
    return django_user_model.objects.create_superuser("boss", "b@example.com", "pw")


def _uploaded(boss) -> ImportRun:
    export = SimpleUploadedFile("export.xml", _export(make_article()), "text/xml")
    return import_run_create(platform="disqus", upload=export, user=boss)


def _tasks(run: ImportRun) -> list[DBTaskResult]:
    return [
        task
        for task in DBTaskResult.objects.filter(task_path=TASK_PATH)
        if task.task_result.kwargs == {"run_id": run.pk}
    ]


def test_an_upload_whose_process_is_killed_as_it_commits_is_still_imported(boss):
    with killed_at_commit():
        run = _uploaded(boss)

    [task] = _tasks(run)
    assert _work(task).status == TaskResultStatus.SUCCESSFUL
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE
    assert run.imported == 2


def test_an_upload_rolled_back_leaves_no_import_task(boss):
    with pytest.raises(LaterStepFailed), transaction.atomic():
        _uploaded(boss)
        raise LaterStepFailed

    assert not ImportRun.objects.exists()
    assert not DBTaskResult.objects.filter(task_path=TASK_PATH).exists()


@pytest.fixture
def stopped_run(boss) -> ImportRun:
    """An import whose worker stopped before it started: its first task failed, its file kept."""
    run = _uploaded(boss)
    DBTaskResult.objects.filter(task_path=TASK_PATH).update(status=TaskResultStatus.FAILED)
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.FAILED)
    return run


def test_run_it_again_whose_process_is_killed_as_it_commits_is_still_imported(stopped_run):
    with killed_at_commit():
        import_run_again(run_id=stopped_run.pk)

    [task] = [task for task in _tasks(stopped_run) if task.status == TaskResultStatus.READY]
    assert _work(task).status == TaskResultStatus.SUCCESSFUL
    stopped_run.refresh_from_db()
    assert stopped_run.status == ImportRun.Status.DONE


def test_run_it_again_rolled_back_leaves_no_new_import_task(stopped_run):
    with pytest.raises(LaterStepFailed), transaction.atomic():
        import_run_again(run_id=stopped_run.pk)
        raise LaterStepFailed

    assert ImportRun.objects.get(pk=stopped_run.pk).status == ImportRun.Status.FAILED
    assert len(_tasks(stopped_run)) == 1  # the first, failed
