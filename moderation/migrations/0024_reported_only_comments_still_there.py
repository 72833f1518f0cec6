from django.db import migrations


def clear_answered_reports(apps, schema_editor):
    """A review whose comment is rejected or deleted has no report waiting for a moderator: the
    Reported queue and its count now read ``last_report`` alone (the ``review_reported`` index),
    so one left set by a report recorded as the comment was rejected (a race that
    ``services.report_create`` now closes) is cleared. Reads the few reviews that index holds."""
    CommentReview = apps.get_model("moderation", "CommentReview")
    CommentReview.objects.filter(
        last_report__isnull=False, comment__status__in=("rejected", "deleted")
    ).update(last_report=None)


class Migration(migrations.Migration):
    dependencies = [("moderation", "0023_review_reader_state")]

    operations = [migrations.RunPython(clear_answered_reports, migrations.RunPython.noop)]
