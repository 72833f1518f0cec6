from django.db import migrations, models

from core.migrations_ops import AddIndexWithoutBlockingWrites


class Migration(migrations.Migration):
    # Built concurrently on PostgreSQL (core.migrations_ops), which cannot run in a transaction:
    # comments go on being posted while the reviews' table is read.
    atomic = False

    dependencies = [("moderation", "0007_campaigns")]

    operations = [
        AddIndexWithoutBlockingWrites(
            model_name="commentreview",
            index=models.Index(
                condition=models.Q(("campaign__isnull", False)),
                fields=["campaign"],
                name="review_campaign",
            ),
        ),
    ]
