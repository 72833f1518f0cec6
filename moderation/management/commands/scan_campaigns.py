"""``manage.py scan_campaigns``: one pass of coordinated-campaign detection (moderation.campaigns,
and coordinated recommending and reporting: moderation.brigades).

``manage.py run_scheduler`` runs it on every pass; this is for a site that runs its periodic
jobs from cron instead.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from moderation.brigades import brigades_scan
from moderation.campaigns import campaigns_scan


class Command(BaseCommand):
    help = (
        "Look at new comments for coordinated campaigns, and hold what they find; list bursts of "
        "recommendations and mass reports for a moderator."
    )

    def handle(self, *args, **options) -> None:
        report = campaigns_scan()
        # Coordinated recommending and reporting (moderation.brigades): listed, never acted on.
        brigades = brigades_scan()
        if options["verbosity"]:
            self.stdout.write(
                f"{report.looked_at:,} new comments looked at; "
                f"{len(set(report.campaigns)):,} campaigns found or grown; "
                f"{report.held:,} comments held; "
                f"{len(brigades.recommending):,} coordinated recommending and "
                f"{len(brigades.reporting):,} coordinated reporting listed or brought up to date."
            )
