"""Every reported comment reaches the Reported queue, not only those held by the Nth report.

``CommentReview.last_report`` is the comment's newest report that no moderator has answered. The
data step fills it for reports made before this migration: a comment's newest report is open
unless a moderator approved, rejected or featured the comment after it.
"""

import django.db.models.deletion
from django.db import migrations, models

DECISIONS = ("approve", "reject", "feature")


def open_existing_reports(apps, schema_editor):
    CommentReview = apps.get_model("moderation", "CommentReview")
    ModerationAction = apps.get_model("moderation", "ModerationAction")
    Report = apps.get_model("moderation", "Report")
    reviews = CommentReview.objects.filter(
        report_count__gt=0, comment__status__in=("published", "pending")
    )
    for review in reviews.iterator():
        newest = Report.objects.filter(comment_id=review.comment_id).order_by("-id").first()
        if newest is None:
            continue
        answered = ModerationAction.objects.filter(
            comment_id=review.comment_id,
            kind__in=DECISIONS,
            automated=False,
            created_at__gte=newest.created_at,
        ).exists()
        if not answered:
            CommentReview.objects.filter(pk=review.pk).update(last_report=newest)


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0003_action_unfeature"),
    ]

    operations = [
        migrations.AddField(
            model_name="commentreview",
            name="last_report",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="moderation.report",
            ),
        ),
        migrations.RunPython(open_existing_reports, migrations.RunPython.noop),
    ]
