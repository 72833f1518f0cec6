"""The default rules a fresh install starts with; operators edit them in the admin.

Deliberately short. Banned words are refused outright, so only unambiguous personal attacks are
banned; insults that can be aimed at a person or at an idea are "suspect" (held for a person to
judge). Nothing here names a state, a people or an army: angry language about a country at war is
political speech, and the demo's reference thread must publish under these defaults.
"""

from django.db import migrations

BANNED = ["kill yourself", "kys", "go die in a ditch"]
SUSPECT = ["idiot", "moron", "imbecile", "cretin", "halfwit", "scumbag", "retard", "subhuman"]
ALLOWED_DOMAINS = [
    "wikipedia.org",
    "wikimedia.org",
    "bbc.co.uk",
    "bbc.com",
    "reuters.com",
    "apnews.com",
    "theguardian.com",
    "ft.com",
    "gov.uk",
    "europa.eu",
    "un.org",
    "nato.int",
    "osce.org",
    "kyivindependent.com",
]


def add_defaults(apps, schema_editor):
    Rule = apps.get_model("moderation", "Rule")
    rows = [Rule(kind="banned", pattern=word, note="default") for word in BANNED]
    rows += [Rule(kind="suspect", pattern=word, note="default") for word in SUSPECT]
    rows += [Rule(kind="allow_domain", pattern=domain, note="default") for domain in ALLOWED_DOMAINS]
    Rule.objects.bulk_create(rows)


def remove_defaults(apps, schema_editor):
    apps.get_model("moderation", "Rule").objects.filter(note="default").delete()


class Migration(migrations.Migration):
    dependencies = [("moderation", "0001_initial")]
    operations = [migrations.RunPython(add_defaults, remove_defaults)]
