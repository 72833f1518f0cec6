"""The words of an appeal go when its author deletes the comment, a decided appeal's too
(moderation.services.appeals_withdraw); 0013 emptied only those it withdrew. Here the appeals on
comments deleted before this, decided ones included, lose their text; their rows stay, counted
in the transparency report."""

from django.db import migrations
from django.db.models import Q


def empty_appeals_on_deleted_comments(apps, schema_editor):
    Appeal = apps.get_model("moderation", "Appeal")
    Appeal.objects.filter(Q(comment__isnull=True) | Q(comment__status="deleted")).exclude(
        text=""
    ).update(text="")


class Migration(migrations.Migration):
    dependencies = [
        ("discussion", "0014_thread_close_permission"),
        ("moderation", "0015_reports_on_deleted_comments_closed"),
    ]

    operations = [
        migrations.RunPython(empty_appeals_on_deleted_comments, migrations.RunPython.noop),
    ]
