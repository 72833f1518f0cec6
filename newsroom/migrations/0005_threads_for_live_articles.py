"""Every live article gets its discussion thread, as publishing now gives one (publish_hooks).

So the article page of a site that existed before has its live stream from the first visit, not
only after its first comment.
"""

from django.db import migrations


def threads_for_live_articles(apps, schema_editor):
    ArticlePage = apps.get_model("newsroom", "ArticlePage")
    Thread = apps.get_model("discussion", "Thread")
    have = set(Thread.objects.filter(page__isnull=False).values_list("page_id", flat=True))
    Thread.objects.bulk_create(
        [
            Thread(page_id=page.pk, title=page.title[:255])
            for page in ArticlePage.objects.filter(live=True).only("pk", "title")
            if page.pk not in have
        ]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0004_live_blog"),
        ("discussion", "0007_reactions_featured_sorts"),
    ]

    operations = [migrations.RunPython(threads_for_live_articles, migrations.RunPython.noop)]
