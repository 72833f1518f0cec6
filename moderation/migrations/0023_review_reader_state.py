from django.db import migrations, models

from core.migrations_ops import AddIndexWithoutBlockingWrites


class Migration(migrations.Migration):
    # Built concurrently on PostgreSQL (core.migrations_ops), which cannot run in a transaction:
    # readers go on commenting while the reviews' table is read.
    atomic = False

    dependencies = [("moderation", "0022_reader_notes")]

    operations = [
        AddIndexWithoutBlockingWrites(
            model_name="commentreview",
            index=models.Index(fields=["reader_key", "state"], name="review_reader_state"),
        ),
    ]
