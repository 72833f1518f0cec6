"""Wagtail's "Show in menus" now decides whether a section is in every page's header.

Until now the header linked every live, public section and the box did nothing, so a section
made before this migration has it unticked (Wagtail's default then). Each is ticked here, on the
page and in its revisions (a draft published later would otherwise untick it again), so the
header reads as it did; an editor unticks a section to take it out.
"""

from django.db import migrations


def _tick_sections(apps, schema_editor):
    SectionPage = apps.get_model("newsroom", "SectionPage")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    SectionPage.objects.filter(show_in_menus=False).update(show_in_menus=True)
    section_type = ContentType.objects.filter(app_label="newsroom", model="sectionpage").first()
    if section_type is None:
        return
    for revision in Revision.objects.filter(content_type=section_type).iterator():
        content = revision.content or {}
        if content.get("show_in_menus") is False:
            content["show_in_menus"] = True
            revision.content = content
            revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0007_times_stamped_when_published"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(_tick_sections, migrations.RunPython.noop)]
