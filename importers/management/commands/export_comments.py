"""``manage.py export_comments [--with-emails] [FILE]``: every comment of the site, as JSON Lines.

The file ``manage.py import_comments broadsheet FILE`` reads (importers.exports describes it):
a newsroom's readers' words are never locked in. Written as it is read, a chunk at a time.
"""

from __future__ import annotations

import json
import os
import sys

from django.core.management.base import BaseCommand, CommandError

from importers.exports import export_lines


def _open_private(path: str):
    """``path`` for writing, made readable by its owner alone (0600) when it does not exist yet,
    as the site's SQLite file is: an export holds held and removed comments, with --with-emails
    guests' addresses, and the umask's usual mode (0644) let every user of the machine read it.
    A file that exists keeps the mode it has (an operator's choice)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    return open(descriptor, "w", encoding="utf-8")  # noqa: SIM115 - closed by handle()


class Command(BaseCommand):
    help = "Write every comment of the site to FILE (or standard output) as JSON Lines."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", nargs="?", default="-", help="Where to write ('-': stdout).")
        parser.add_argument(
            "--with-emails",
            action="store_true",
            help="Include the email addresses guests gave (personal data: keep the file safe).",
        )

    def handle(self, *args, path: str, with_emails: bool, **options) -> None:
        try:
            out = sys.stdout if path == "-" else _open_private(path)
        except OSError as exc:
            raise CommandError(f"Cannot write {path}: {exc.strerror or exc}.") from exc
        count = 0
        try:
            for line in export_lines(with_emails=with_emails):
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
                count += line.get("type") == "comment"
        finally:
            if out is not sys.stdout:
                out.close()
        self.stderr.write(f"{count:,} comments exported.")
