"""Wagtail's built-in "Moderators" group may close and reopen a discussion (Admin > Discussions):
on a breaking-news night the people reading the queue are the ones who see a thread needs
closing, and without it they were turned away to the admin's front page and had to find an
administrator. Only that: ``discussion.close_thread`` shows them the thread's Closed box, not
whether guests may post (``discussion.change_thread``), and the Editors group is left as it is.

The permission is made here if it does not exist yet (on a fresh database Django adds a model's
permissions only after every migration has run). A site without the group (its operators
renamed or removed it) is left as it is."""

from django.db import migrations

CODENAME = "close_thread"


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group = Group.objects.filter(name="Moderators").first()
    if group is None:
        return
    content_type, _ = ContentType.objects.get_or_create(app_label="discussion", model="thread")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=CODENAME,
        defaults={"name": "Can close and reopen a discussion"},
    )
    group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Moderators").first()
    permission = Permission.objects.filter(
        content_type__app_label="discussion", codename=CODENAME
    ).first()
    if group is not None and permission is not None:
        group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0011_report_network"),
        ("discussion", "0014_thread_close_permission"),
        ("wagtailcore", "0002_initial_data"),  # makes the Moderators group
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
