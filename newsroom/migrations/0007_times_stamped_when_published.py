"""A live-blog entry's and a correction's time may be left empty, to be stamped when published.

Their default (``timezone.now``) was taken when the edit screen drew its empty inline form, so an
entry published minutes later carried the moment the screen was opened. Existing rows keep their
times; the models stamp an empty one when the row is saved.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('newsroom', '0006_alt_text_required'),
    ]

    operations = [
        migrations.AlterField(
            model_name='correction',
            name='corrected_at',
            field=models.DateTimeField(blank=True, help_text='When the correction was made (shown with the note). Leave empty to stamp it when published.', null=True),
        ),
        migrations.AlterField(
            model_name='liveblogentry',
            name='posted_at',
            field=models.DateTimeField(blank=True, help_text='Leave empty to stamp it when published.', null=True),
        ),
    ]
