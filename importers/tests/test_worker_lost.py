"""An import whose task worker is killed part-way does not stay "Importing" for good: the
scheduler's next pass finds the worker stopped beating (core.workers), the import stops with the
reason, and the admin runs it again, without copies of what was imported before."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import Count
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.tests.processes import database_shared_with_processes, wait_for, worker
from discussion.models import Comment
from importers.models import ImportRun
from importers.services import BATCH
from importers.tests.exports import disqus, disqus_post, disqus_thread
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

URL = "/admin/comments-import/"
COMMENTS = BATCH + 50
HOLD_AT = BATCH + 30  # the comment whose screening the fake Akismet holds up
LIMIT = 1  # TASK_WORKER_LOST_SECONDS, for the worker and the scheduler alike


class FakeAkismet(ThreadingHTTPServer):
    """Akismet on loopback, which answers "not spam" at once, except for the comment that says
    "Hold here", which it keeps waiting until released: the import is then part-way through, at
    a known comment, for as long as the test likes."""

    def __init__(self) -> None:
        self.holding = threading.Event()
        self.released = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if b"Hold+here" in body:
                    server.holding.set()
                    server.released.wait(timeout=60)
                with contextlib.suppress(OSError):  # a killed worker's connection is gone
                    self.send_response(200)
                    self.end_headers()
                    self.wfile.write(b"false")

            def log_message(self, *args) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        self.daemon_threads = True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def akismet() -> Iterator[FakeAkismet]:
    server = FakeAkismet()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.released.set()
        server.shutdown()
        server.server_close()


@pytest.fixture
def site(settings, tmp_path) -> Iterator[dict[str, str]]:
    """The shared database, and the environment of the worker: the folder the uploads are kept
    in, a short TASK_WORKER_LOST_SECONDS."""
    settings.TASK_WORKER_LOST_SECONDS = LIMIT
    settings.VAR_DIR = Path(ImportRun._meta.get_field("file").storage.location).parent
    with database_shared_with_processes(tmp_path) as env:
        yield {**env, "TASK_WORKER_LOST_SECONDS": str(LIMIT)}
        for run in ImportRun.objects.all():  # a stopped run keeps its upload, by design
            run.file.delete(save=False)


@pytest.fixture
def boss(client, django_user_model, site):
    user = django_user_model.objects.create_superuser("boss", "b@example.com", "pw")
    client.force_login(user)
    return user


def _import_task() -> DBTaskResult:
    return DBTaskResult.objects.get(task_path="importers.tasks.import_run")


def _upload(client, article) -> ImportRun:
    link = f"https://old.example.com{article.url}"
    posts = [
        disqus_post(f"p{n}", "t1", "Hold here." if n == HOLD_AT else f"Comment {n}.")
        for n in range(1, COMMENTS + 1)
    ]
    data = disqus(disqus_thread("t1", link), *posts)
    response = client.post(
        URL, {"platform": "disqus", "file": SimpleUploadedFile("big.xml", data, "text/xml")}
    )
    assert response.status_code == 302
    return ImportRun.objects.get()


def _held_mid_import(client, site, akismet):
    """An uploaded import, its worker, and the import held up by Akismet after its first batch
    (the thread and BATCH - 1 comments) was committed."""
    run = _upload(client, make_article())
    process = worker({**site, "AKISMET_API_KEY": "test-key", "AKISMET_URL": akismet.url})
    try:
        wait_for(akismet.holding.is_set, "the import to reach the held comment")
        wait_for(lambda: ImportRun.objects.get(pk=run.pk).imported == BATCH - 1, "the first batch")
    except BaseException:
        process.kill()
        process.wait()
        raise
    return run, process


@pytest.fixture
def killed_mid_import(client, boss, site, akismet) -> ImportRun:
    """An import whose worker was killed (SIGKILL) part-way, and the scheduler's pass after
    that."""
    run, process = _held_mid_import(client, site, akismet)
    process.kill()
    process.wait()
    time.sleep(LIMIT + 0.2)
    call_command("run_scheduler", once=True, stdout=StringIO())
    return ImportRun.objects.get(pk=run.pk)


def test_a_killed_workers_import_is_failed_by_the_scheduler_with_the_reason(
    client, killed_mid_import
):
    task = _import_task()
    assert task.status == TaskResultStatus.FAILED
    assert "the worker running this task stopped (no heartbeat since" in task.traceback
    assert killed_mid_import.status == ImportRun.Status.FAILED
    reason = (
        f"The task worker stopped while importing this file (it was killed, or its machine "
        f"stopped): {BATCH - 1} comments were imported before it stopped, and are kept. Run it "
        "again: comments already imported are not imported twice."
    )
    assert killed_mid_import.problem == reason
    page = client.get(f"{URL}{killed_mid_import.pk}/").content.decode()
    assert "Stopped" in page
    assert reason in page
    assert "Run it again" in page


def test_an_import_run_again_after_its_worker_was_killed_finishes_without_copies(
    client, killed_mid_import, site
):
    response = client.post(f"{URL}{killed_mid_import.pk}/again/")
    assert response.status_code == 302
    assert ImportRun.objects.get().status == ImportRun.Status.QUEUED

    process = worker(site, "--batch")
    assert process.wait(timeout=60) == 0, process.stdout.read().decode()

    page = client.get(f"{URL}{killed_mid_import.pk}/").content.decode()
    assert "Done" in page
    assert f"{COMMENTS - BATCH + 1} comments imported (0 of them held for review)" in page
    assert f"{BATCH - 1:,} already here" in page
    assert Comment.objects.count() == COMMENTS
    assert not Comment.objects.values("idempotency_key").annotate(n=Count("pk")).filter(n__gt=1)
    assert "Run it again" not in page


def test_an_import_whose_worker_is_alive_is_not_failed_however_long_it_takes(
    client, boss, site, akismet
):
    run, process = _held_mid_import(client, site, akismet)
    try:
        time.sleep(LIMIT * 2.5)  # held up, with its worker beating, past the limit

        call_command("run_scheduler", once=True, stdout=StringIO())

        assert _import_task().status == TaskResultStatus.RUNNING
        assert ImportRun.objects.get().status == ImportRun.Status.IMPORTING
        akismet.released.set()
        wait_for(lambda: ImportRun.objects.get().finished, "the import to finish")
        assert ImportRun.objects.get().status == ImportRun.Status.DONE
        assert Comment.objects.count() == COMMENTS
    finally:
        process.kill()
        process.wait()
