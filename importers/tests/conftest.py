"""Fixtures for the tests that run an import in a real task worker (importers.tests.held_imports):
Akismet on loopback, and the database shared with the worker."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.tests.processes import database_shared_with_processes
from importers.models import ImportRun
from importers.tests.held_imports import LIMIT, FakeAkismet


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
    """A superuser, signed in on ``client``, in the database shared with the worker."""
    user = django_user_model.objects.create_superuser("boss", "b@example.com", "pw")
    client.force_login(user)
    return user
