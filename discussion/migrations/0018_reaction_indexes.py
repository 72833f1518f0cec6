from django.db import migrations, models

from core.migrations_ops import AddIndexWithoutBlockingWrites


class Migration(migrations.Migration):
    # Built concurrently on PostgreSQL (core.migrations_ops), which cannot run in a transaction:
    # readers go on recommending comments while the reactions' table is read.
    atomic = False

    dependencies = [("discussion", "0017_reaction_network")]

    operations = [
        AddIndexWithoutBlockingWrites(
            model_name="reaction",
            index=models.Index(fields=["created_at"], name="reaction_created"),
        ),
        AddIndexWithoutBlockingWrites(
            model_name="reaction",
            index=models.Index(fields=["reader_key", "created_at"], name="reaction_reader"),
        ),
    ]
