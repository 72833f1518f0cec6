"""An appeal is withdrawn when its author deletes the comment (moderation.services
.appeals_withdraw): it leaves the Appeals queue, and is kept, without the reader's words, when
the comment's row goes, so the transparency report still counts it. Appeals left open on comments
their authors had deleted before this are withdrawn here."""

import django.db.models.deletion
from django.db import migrations, models


def withdraw_appeals_on_deleted_comments(apps, schema_editor):
    Appeal = apps.get_model("moderation", "Appeal")
    Appeal.objects.filter(status="open", comment__status="deleted").update(
        status="withdrawn", text=""
    )


class Migration(migrations.Migration):
    dependencies = [
        ("discussion", "0014_thread_close_permission"),
        ("moderation", "0012_moderators_close_threads"),
    ]

    operations = [
        migrations.AlterField(
            model_name="appeal",
            name="comment",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="discussion.comment",
            ),
        ),
        migrations.AlterField(
            model_name="appeal",
            name="status",
            field=models.CharField(
                choices=[
                    ("open", "Waiting for a moderator"),
                    ("upheld", "Upheld: the comment is restored"),
                    ("denied", "Turned down"),
                    ("withdrawn", "Withdrawn: the comment was deleted"),
                ],
                default="open",
                max_length=12,
            ),
        ),
        migrations.RunPython(withdraw_appeals_on_deleted_comments, migrations.RunPython.noop),
    ]
