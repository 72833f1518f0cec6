"""Periodic jobs without cron: scheduled publishing and campaign detection every interval, reply
digests once a day.

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

DEFAULT_INTERVAL = 30


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
                call_command("publish_scheduled", verbosity=0)
                # Coordinated-campaign detection (moderation), by name: newsroom does not
                # import moderation.
                call_command("scan_campaigns", verbosity=0)
                now = timezone.localtime()
                if now.hour >= settings.REPLY_DIGEST_HOUR and digests_sent_on != now.date():
                    call_command("send_reply_digests", verbosity=0, stdout=self.stdout)
                    digests_sent_on = now.date()
            except Exception as exc:  # a bad pass must not stop the next one
                self.stderr.write(f"scheduled job failed: {exc!r}")
                if once:
                    raise
            if once:
                return
            time.sleep(interval)
