"""A report outlives its comment (moderation.services.reports_close): ``Report.comment`` becomes
SET_NULL, so when the comment's author deletes it, or their account with its comments, the
report keeps its row, and the transparency report's "Reports received" for its month does not
drop afterwards. ``Report.closed_as`` says when one was closed because the comment went.

Safe on a big reports table in PostgreSQL: the new column has a constant default, stored once
(no rewrite), and the key only drops NOT NULL. Django's own AlterField would also drop the
foreign key and add it again, and adding one reads every report, holding off new comments
(it locks the comments table against writes) until it is done; ON DELETE is Django's, not the
database's, so the constraint needs no change."""

import django.db.models.deletion
from django.db import migrations, models


class DropNotNull(migrations.AlterField):
    """The AlterField, but on PostgreSQL only its DROP NOT NULL."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        model = to_state.apps.get_model(app_label, self.model_name)
        column = model._meta.get_field(self.name).column
        schema_editor.execute(
            f"ALTER TABLE {schema_editor.quote_name(model._meta.db_table)} "
            f"ALTER COLUMN {schema_editor.quote_name(column)} DROP NOT NULL"
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        model = to_state.apps.get_model(app_label, self.model_name)
        column = model._meta.get_field(self.name).column
        schema_editor.execute(
            f"ALTER TABLE {schema_editor.quote_name(model._meta.db_table)} "
            f"ALTER COLUMN {schema_editor.quote_name(column)} SET NOT NULL"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("discussion", "0014_thread_close_permission"),
        ("moderation", "0013_appeal_withdrawn"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="closed_as",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Not closed on its own"),
                    ("comment_deleted", "Closed: the comment was deleted"),
                ],
                db_default="",
                default="",
                max_length=16,
            ),
        ),
        DropNotNull(
            model_name="report",
            name="comment",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="reports",
                to="discussion.comment",
            ),
        ),
    ]
