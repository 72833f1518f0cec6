"""``manage.py import_comments disqus|wordpress FILE``: another platform's comments, imported.

See importers.services for what is imported and how; this command opens the file, refuses one
over ``IMPORT_MAX_MB``, shows progress on standard error and prints a report. Run it again after
a failure (or Ctrl-C) to carry on: nothing is imported twice.
"""

from __future__ import annotations

import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from importers.formats import READERS, Counted, ExportError
from importers.services import ImportReport, comments_import


class Command(BaseCommand):
    help = "Import comments from a Disqus XML export or a WordPress (WXR) export."

    def add_arguments(self, parser) -> None:
        parser.add_argument("platform", choices=sorted(READERS), help="Where the export is from.")
        parser.add_argument("path", help="The export file ('-' reads standard input).")
        parser.add_argument("--quiet", action="store_true", help="No progress line.")

    def handle(self, *args, platform: str, path: str, quiet: bool, **options) -> None:
        cap = settings.IMPORT_MAX_MB * 1024 * 1024
        if path == "-":
            stream, total = sys.stdin.buffer, None
        else:
            try:
                total = os.path.getsize(path)
                stream = open(path, "rb")  # noqa: SIM115  (closed below)
            except OSError as exc:
                raise CommandError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
            if total > cap:
                stream.close()
                raise CommandError(
                    f"{path} is {total:,} bytes; the import limit is {cap:,} (IMPORT_MAX_MB="
                    f"{settings.IMPORT_MAX_MB}). Nothing was imported."
                )
        counted = Counted(stream, cap=cap)

        def progress(report: ImportReport) -> None:
            if quiet:
                return
            done = (
                f"{counted.read_bytes / total:6.1%}" if total else f"{counted.read_bytes:,} bytes"
            )
            self.stderr.write(
                f"\r{done} read: {report.imported:,} imported, {report.already:,} already here, "
                f"{report.refused:,} refused",
                ending="",
            )
            self.stderr.flush()

        try:
            report = comments_import(
                READERS[platform](counted), platform=platform, progress=progress
            )
        except ExportError as exc:
            raise CommandError(
                f"{exc} Comments imported before this point are kept; run the command again to "
                "carry on."
            ) from exc
        finally:
            if stream is not sys.stdin.buffer:
                stream.close()
        if not quiet:
            self.stderr.write("")
        for line in report.lines():
            self.stdout.write(line)
