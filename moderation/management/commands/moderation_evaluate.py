"""Train the offline abuse model on four fifths of the shipped labelled lines and report its
precision and recall on the held-out fifth (the numbers quoted in docs/moderation.md)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from moderation.scorers import toxicity


class Command(BaseCommand):
    help = "Measure the offline abuse model's precision and recall on held-out labelled lines."

    def add_arguments(self, parser):
        parser.add_argument("--threshold", type=float, default=toxicity.HOLD_AT)

    def handle(self, *args, threshold: float, **options):
        result = toxicity.evaluate(threshold)
        self.stdout.write(
            f"held out: {result.held_out} lines; threshold {result.threshold}\n"
            f"precision: {result.precision:.3f} ({result.true_positives} of "
            f"{result.true_positives + result.false_positives} flagged were abuse)\n"
            f"recall: {result.recall:.3f} ({result.true_positives} of "
            f"{result.true_positives + result.false_negatives} abusive lines flagged)"
        )
