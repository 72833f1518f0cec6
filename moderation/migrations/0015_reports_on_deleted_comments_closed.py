"""Reports on comments their authors deleted before 0014, kept as shells for their replies,
are closed as "comment deleted" if still waiting for a moderator, and lose the reporter's note and
network, as reports_close does now (reports whose comment's row went had gone with it).

Its own migration, so on PostgreSQL these row updates run after 0014's table locks are let go."""

from django.db import migrations
from django.db.models import F, OuterRef, Q, Subquery

# As in moderation.services: the actions that answer a comment's reports.
ANSWERING_REPORTS = ("approve", "reject", "feature", "appeal_upheld")


def close_reports_on_deleted_comments(apps, schema_editor):
    Report = apps.get_model("moderation", "Report")
    CommentReview = apps.get_model("moderation", "CommentReview")
    ModerationAction = apps.get_model("moderation", "ModerationAction")
    on_deleted = Report.objects.filter(comment__status="deleted")
    answered_at = (
        ModerationAction.objects.filter(
            comment_id=OuterRef("comment_id"), kind__in=ANSWERING_REPORTS
        )
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    waiting = (
        on_deleted.filter(comment__review__last_report__isnull=False)
        .alias(answered_at=Subquery(answered_at))
        .filter(Q(answered_at__isnull=True) | Q(created_at__gt=F("answered_at")))
    )
    Report.objects.filter(pk__in=list(waiting.values_list("pk", flat=True))).update(
        closed_as="comment_deleted"
    )
    on_deleted.update(text="", network=None)
    CommentReview.objects.filter(comment__status="deleted", last_report__isnull=False).update(
        last_report=None
    )


class Migration(migrations.Migration):
    dependencies = [
        ("discussion", "0014_thread_close_permission"),
        ("moderation", "0014_report_kept_when_comment_deleted"),
    ]

    operations = [
        migrations.RunPython(close_reports_on_deleted_comments, migrations.RunPython.noop),
    ]
