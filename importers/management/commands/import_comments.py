"""``manage.py import_comments disqus|wordpress|broadsheet FILE``: another site's comments.

See importers.services for what is imported and how. A file of another platform than the one
named is refused from its first bytes (importers.peek), as the admin's upload is, saying which
to name instead. Then it is read through once before
anything is imported, so one that cannot be read to its end (not XML or JSON, a DOCTYPE, a line
of the wrong shape, cut short) is refused with the reason and nothing imported. Then it is read
again and imported, with progress on standard error and a report at the end. An import stopped
part-way (Ctrl-C, a failure) carries on when run again: nothing is imported twice.
"""

from __future__ import annotations

import os
import sys
from typing import BinaryIO

from django.core.management.base import BaseCommand, CommandError

from importers.formats import READERS
from importers.models import PLATFORM_NAMES
from importers.peek import HEAD_BYTES, export_platform
from importers.services import ImportReport, ImportStopped, file_import


class Command(BaseCommand):
    help = (
        "Import comments from a Disqus XML export, a WordPress (WXR) export or a Broadsheet "
        "export (manage.py export_comments)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("platform", choices=sorted(READERS), help="Where the export is from.")
        parser.add_argument(
            "path",
            help="The export file. '-' reads standard input, which cannot be checked before "
            "the import starts: a bad line there stops it part-way.",
        )
        parser.add_argument("--quiet", action="store_true", help="No progress line.")

    def handle(self, *args, platform: str, path: str, quiet: bool, **options) -> None:
        if path == "-":
            stream, total = sys.stdin.buffer, None
        else:
            try:
                total = os.path.getsize(path)
                stream = open(path, "rb")  # noqa: SIM115  (closed below)
            except OSError as exc:
                raise CommandError(f"Cannot read {path}: {exc.strerror or exc}.") from exc

        def checking() -> None:
            if not quiet:
                self.stderr.write(f"Checking {path} ({total:,} bytes)...")

        def progress(report: ImportReport, read_bytes: int) -> None:
            if quiet:
                return
            done = f"{read_bytes / total:6.1%}" if total else f"{read_bytes:,} bytes"
            self.stderr.write(
                f"\r{done} read: {report.imported:,} imported, {report.already:,} already here, "
                f"{report.refused:,} refused",
                ending="",
            )
            self.stderr.flush()

        try:
            if stream is not sys.stdin.buffer:  # which cannot be read twice
                _check_platform(stream, platform=platform, path=path)
            report = file_import(
                stream,
                platform=platform,
                size=total,
                name=path,
                checking=checking,
                progress=progress,
            )
        except ImportStopped as exc:
            raise CommandError(str(exc)) from exc
        finally:
            if stream is not sys.stdin.buffer:
                stream.close()
        if not quiet:
            self.stderr.write("")
        for line in report.lines():
            self.stdout.write(line)


def _check_platform(stream: BinaryIO, *, platform: str, path: str) -> None:
    """Refuse a file whose first bytes are another platform's export than ``platform``, before
    it is read through: a Disqus export named as WordPress was read to its end and refused only
    then, saying "no <channel>" rather than what to do. A file of no platform goes on to the
    reader, whose reason is more exact (a DOCTYPE, a Disqus root without its namespace)."""
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    found = export_platform(head)
    if found is not None and found != platform:
        raise CommandError(
            f"This file looks like a {PLATFORM_NAMES[found]} export, not a "
            f"{PLATFORM_NAMES[platform]} one: name {found} instead (manage.py import_comments "
            f"{found} {path}). Nothing was imported."
        )
