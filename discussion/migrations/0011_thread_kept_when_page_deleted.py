"""A deleted page leaves its thread: ``on_delete`` SET_NULL instead of CASCADE.

Deleting an article took its thread and, through its comments, every report, appeal and review
with it, changing past months of the transparency report. Django applies ``on_delete`` itself,
so no table changes; the column was already nullable.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('discussion', '0010_thread_titles_from_pages'),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='thread',
            name='page',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='discussion_thread', to=settings.WAGTAIL_PAGE_MODEL),
        ),
        migrations.AlterField(
            model_name='thread',
            name='title',
            field=models.CharField(help_text="The article's headline as last published; kept if it goes.", max_length=255),
        ),
    ]
