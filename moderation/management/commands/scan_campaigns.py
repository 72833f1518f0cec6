"""``manage.py scan_campaigns``: one pass of coordinated-campaign detection (moderation.campaigns).

``manage.py run_scheduler`` runs it on every pass; this is for a site that runs its periodic
jobs from cron instead.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from moderation.campaigns import campaigns_scan


class Command(BaseCommand):
    help = "Look at new comments for coordinated campaigns, and hold what they find."

    def handle(self, *args, **options) -> None:
        report = campaigns_scan()
        if options["verbosity"]:
            self.stdout.write(
                f"{report.looked_at:,} new comments looked at; "
                f"{len(set(report.campaigns)):,} campaigns found or grown; "
                f"{report.held:,} comments held."
            )
