from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("discussion", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="comment",
            name="path",
            field=models.CharField(blank=True, max_length=700),
        ),
    ]
