from django.db import migrations, models

from core.migrations_ops import AddIndexWithoutBlockingWrites


class Migration(migrations.Migration):
    # Built concurrently on PostgreSQL (core.migrations_ops), which cannot run in a transaction:
    # readers go on reporting comments while the reports' table is read.
    atomic = False

    dependencies = [("moderation", "0016_appeal_words_go_with_the_comment")]

    operations = [
        AddIndexWithoutBlockingWrites(
            model_name="report",
            index=models.Index(fields=["reporter_key"], name="report_reporter"),
        ),
    ]
