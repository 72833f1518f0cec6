"""Periodic jobs without cron: scheduled publishing, campaign detection and running again (or
failing) the tasks of task workers that stopped, every interval; reply digests, and the pruning
of finished background tasks' rows older than TASK_RESULTS_KEEP_DAYS and the clearing of readers'
addresses older than IP_RETENTION_DAYS, once a day.

``make demo`` starts this beside the web server. Wagtail keeps an article with a future go-live
time out of every page, feed, sitemap, ninjs and search result (it is simply not live); this
loop makes it live within one interval of that time. Once a day, from REPLY_DIGEST_HOUR in the
newsroom's time zone, it sends the daily reply digests (sending only what is waiting, so a
restart that sends twice in a day repeats nothing).
"""

from __future__ import annotations

import time
from datetime import date

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.account_emails import account_email_records_prune
from core import pagecache, retention
from core.locks import held_alone
from newsroom import page_addresses

DEFAULT_INTERVAL = 30


def _tasks_are_rows() -> bool:
    """Whether the default task backend keeps its tasks as database rows (django-tasks-db)."""
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks_db import DatabaseBackend

    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)


class Command(BaseCommand):
    help = "Publish (and expire) scheduled pages every --interval seconds until stopped."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--interval",
            type=int,
            default=DEFAULT_INTERVAL,
            help=f"Seconds between runs (default {DEFAULT_INTERVAL}; keep under 60).",
        )
        parser.add_argument(
            "--once", action="store_true", help="Run one pass and exit (for tests and cron)."
        )

    def handle(self, *args, interval: int, once: bool, **options) -> None:
        if interval < 1:
            interval = DEFAULT_INTERVAL
        digests_sent_on: date | None = None
        while True:
            try:
                # One pass at a time for the whole site: a second scheduler (another machine, or
                # one started by mistake) skips its pass while another's runs, rather than
                # publishing the same revision, recording the same campaign or sending the same
                # digests a second time.
                with held_alone("run_scheduler") as alone:
                    if alone:
                        digests_sent_on = self._pass(digests_sent_on)
                    elif options["verbosity"] > 1:
                        self.stdout.write("another scheduler's pass is running; skipped")
            except Exception as exc:  # a bad pass must not stop the next one
                self.stderr.write(f"scheduled job failed: {exc!r}")
                if once:
                    raise
            if once:
                return
            time.sleep(interval)

    def _pass(self, digests_sent_on: date | None) -> date | None:
        """Publish and expire what is due, look for campaigns, recover lost tasks, and send the
        day's digests once; returns the day digests were last sent."""
        # What this process published while Redis was away is marked stale once it is back.
        pagecache.lost_resend()
        # A publish due at an address the site keeps is cancelled, not left to stop Wagtail's
        # publish_scheduled (and every page due after it) with its refusal, pass after pass.
        for line in page_addresses.due_publishing_at_kept_addresses_cancel(now=timezone.now()):
            self.stderr.write(line)
        call_command("publish_scheduled", verbosity=0)
        # Coordinated-campaign detection (moderation), by name: newsroom does not import
        # moderation.
        call_command("scan_campaigns", verbosity=0)
        # Background tasks whose worker was killed are queued again, or failed and their apps
        # told (core.workers).
        call_command("fail_lost_tasks", verbosity=0)
        now = timezone.localtime()
        if now.hour >= settings.REPLY_DIGEST_HOUR and digests_sent_on != now.date():
            call_command("send_reply_digests", verbosity=0, stdout=self.stdout)
            # Finished tasks' rows (every queue's), which would otherwise pile up for good: a
            # row per reply email, moderation email and account email sent. Only where tasks are
            # rows (the database backend; not a test's immediate one).
            if settings.TASK_RESULTS_KEEP_DAYS and _tasks_are_rows():
                call_command(
                    "prune_db_task_results",
                    queue_name="*",
                    min_age_days=settings.TASK_RESULTS_KEEP_DAYS,
                    verbosity=0,
                )
            # With them, the records that each of allauth's emails was sent (one per email),
            # kept only while a task might send it again.
            if settings.TASK_RESULTS_KEEP_DAYS:
                account_email_records_prune(days=settings.TASK_RESULTS_KEEP_DAYS)
            # Readers' addresses and networks, kept for moderation, are cleared once
            # IP_RETENTION_DAYS have passed (core.retention; each app registers its own).
            if settings.IP_RETENTION_DAYS:
                cleared = retention.clear_all(days=settings.IP_RETENTION_DAYS)
                self.stdout.write(
                    f"Cleared the addresses older than {settings.IP_RETENTION_DAYS} days: "
                    + ", ".join(f"{n} {name}" for name, n in cleared.items())
                    + "."
                )
            return now.date()
        return digests_sent_on
