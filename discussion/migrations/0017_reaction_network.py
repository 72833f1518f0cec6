from django.db import migrations, models


class Migration(migrations.Migration):
    # A nullable column with no default: PostgreSQL adds it without rewriting the reactions'
    # table, and it is filled only going forward.
    dependencies = [("discussion", "0016_reply_digest_sending")]

    operations = [
        migrations.AddField(
            model_name="reaction",
            name="network",
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
    ]
