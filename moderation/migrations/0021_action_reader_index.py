from django.db import migrations, models

from core.migrations_ops import AddIndexWithoutBlockingWrites


class Migration(migrations.Migration):
    # Built concurrently on PostgreSQL (core.migrations_ops), which cannot run in a transaction:
    # moderators go on deciding while the actions' table is read.
    atomic = False

    dependencies = [("moderation", "0020_campaign_kinds")]

    operations = [
        AddIndexWithoutBlockingWrites(
            model_name="moderationaction",
            index=models.Index(fields=["reader_key", "-id"], name="action_reader"),
        ),
    ]
