"""Each thread takes its page's headline as published now.

A thread was titled once, when it was made, and kept that title after the headline was
corrected; publishing now keeps it in step (``services.thread_published``). This brings the
threads of an existing site in step once. A page's own row holds its live title (a draft's
title is kept apart, in ``draft_title``).
"""

from django.db import migrations
from django.db.models import F, OuterRef, Subquery


def titles_from_pages(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Thread = apps.get_model("discussion", "Thread")
    live_title = Page.objects.filter(pk=OuterRef("page_id")).values("title")[:1]
    Thread.objects.filter(page__isnull=False).exclude(title=F("page__title")).update(
        title=Subquery(live_title), version=F("version") + 1
    )


class Migration(migrations.Migration):
    dependencies = [
        ("discussion", "0009_partial_key_indexes"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [migrations.RunPython(titles_from_pages, migrations.RunPython.noop)]
