"""Wagtail's built-in "Moderators" group moderates reader comments too: a newsroom reads the name
that way, and without the permission its members saw no Comments menu and were turned away from
every queue. Its permission is made here if it does not exist yet (on a fresh database Django
adds a model's permissions only after every migration has run). A site without the group (its
operators renamed or removed it) is left as it is."""

from django.db import migrations

CODENAME = "moderate_comments"


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group = Group.objects.filter(name="Moderators").first()
    if group is None:
        return
    content_type, _ = ContentType.objects.get_or_create(
        app_label="moderation", model="commentreview"
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=CODENAME,
        defaults={"name": "Can moderate reader comments"},
    )
    group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Moderators").first()
    permission = Permission.objects.filter(
        content_type__app_label="moderation", codename=CODENAME
    ).first()
    if group is not None and permission is not None:
        group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0008_campaign_indexes"),
        ("wagtailcore", "0002_initial_data"),  # makes the Moderators group
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
