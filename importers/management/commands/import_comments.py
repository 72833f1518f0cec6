"""``manage.py import_comments disqus|wordpress|broadsheet FILE``: another site's comments.

See importers.services for what is imported and how. A file is read through once before
anything is imported, so one that cannot be read to its end (not XML or JSON, a DOCTYPE, a line
of the wrong shape, cut short) is refused with the reason and nothing imported. Then it is read
again and imported, with progress on standard error and a report at the end. An import stopped
part-way (Ctrl-C, a failure) carries on when run again: nothing is imported twice.
"""

from __future__ import annotations

import os
import sys

from django.core.management.base import BaseCommand, CommandError

from importers.formats import READERS
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
