"""Schema steps that Django's own migration operations do heavy-handedly."""

from __future__ import annotations

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations
from django.db.migrations import AddIndex


def drop_key_index(app_label: str, model_name: str, field_name: str) -> migrations.RunPython:
    """Drop the plain index Django made for a foreign key, and nothing else.

    Pair it with the ``AlterField`` to ``db_index=False`` as that field's state, in
    ``SeparateDatabaseAndState``: Django's own ``AlterField`` also drops the key's constraint and
    adds it back, which on PostgreSQL checks every row of the table again under a lock (minutes
    on a site with millions of comments). Reversed, it builds the index again.
    """

    def index(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        field = model._meta.get_field(field_name)
        name = schema_editor._create_index_name(model._meta.db_table, [field.column], suffix="")
        return model, field, name

    def forwards(apps, schema_editor):
        model, _field, name = index(apps, schema_editor)
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")

    def backwards(apps, schema_editor):
        model, field, name = index(apps, schema_editor)
        schema_editor.execute(schema_editor._create_index_sql(model, fields=[field], name=name))

    return migrations.RunPython(forwards, backwards, elidable=False)


class AddIndexWithoutBlockingWrites(AddIndexConcurrently):
    """``AddIndex``, built on PostgreSQL with ``CREATE INDEX CONCURRENTLY``; elsewhere a plain one.

    A plain ``CREATE INDEX`` holds a lock that stops every insert into the table while it builds:
    on the comments' or the reviews' table of a site with millions of rows, posting comments
    stopped for the whole deploy. Built concurrently, the table takes writes throughout (the
    build waits for the transactions running when it starts). Its migration must say
    ``atomic = False``; SQLite (one writer, small sites) builds it plainly.
    """

    def describe(self) -> str:
        return AddIndex.describe(self)

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)
