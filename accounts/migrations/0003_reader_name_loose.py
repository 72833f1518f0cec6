"""Readers' loose name keys (accounts.names.name_loose_key): the column, filled in for the
readers there are, then its index (built once over the filled column, not kept up row by row)."""

from django.db import migrations, models

from accounts.names import loose_key_from_key

BATCH = 1000


def name_loose_fill(*, reader_model, using: str) -> None:
    """Give every reader the loose key of the name key it already has, a batch at a time.

    Derived from the stored ``name_key`` rather than the display name, so the loose key is the
    unique key's own, whatever version of ``name_key`` stored it.
    """
    readers = reader_model.objects.using(using)
    last = 0
    while batch := list(readers.filter(pk__gt=last).order_by("pk").only("pk", "name_key")[:BATCH]):
        for reader in batch:
            reader.name_loose = loose_key_from_key(reader.name_key)
        readers.bulk_update(batch, ["name_loose"])
        last = batch[-1].pk


def backfill_name_loose(apps, schema_editor) -> None:
    name_loose_fill(
        reader_model=apps.get_model("accounts", "Reader"), using=schema_editor.connection.alias
    )


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_reader_reply_digest'),
    ]

    operations = [
        migrations.AddField(
            model_name='reader',
            name='name_loose',
            field=models.CharField(default='', help_text="The folded name without punctuation, symbols or spaces (accounts.names.name_loose_key); no two members share one, and guests may not use a member's.", max_length=200),
            preserve_default=False,
        ),
        migrations.RunPython(backfill_name_loose, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name='reader',
            index=models.Index(fields=['name_loose'], name='reader_name_loose'),
        ),
    ]
