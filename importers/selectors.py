"""Reads for the importers' admin pages."""

from __future__ import annotations

from importers.models import ImportRun

RECENT = 20


def import_runs_recent() -> list[ImportRun]:
    """The latest uploaded imports, newest first."""
    return list(ImportRun.objects.select_related("created_by")[:RECENT])


def import_run_can_run_again(run: ImportRun) -> bool:
    """Whether a stopped import can be run again: its uploaded file is still on the server (a
    run whose task worker stopped part-way keeps it; every other stop deletes it)."""
    return (
        run.status == ImportRun.Status.FAILED
        and bool(run.file)
        and run.file.storage.exists(run.file.name)
    )
