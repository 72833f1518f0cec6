"""Send the daily reply digests. Run once a day (cron, a systemd timer, or your scheduler)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from discussion.notifications import reply_digests_send


class Command(BaseCommand):
    help = "Email each reader who chose a daily digest the replies collected since the last run."

    def handle(self, *args, **options) -> None:
        sent = reply_digests_send()
        self.stdout.write(f"Sent {sent} reply digest email(s).")
