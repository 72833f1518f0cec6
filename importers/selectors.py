"""Reads for the importers' admin pages."""

from __future__ import annotations

from importers.models import ImportRun

RECENT = 20


def import_runs_recent() -> list[ImportRun]:
    """The latest uploaded imports, newest first."""
    return list(ImportRun.objects.select_related("created_by")[:RECENT])
