from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inclusion", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="displaypreferences",
            name="language",
            field=models.CharField(blank=True, default="", max_length=12),
        ),
    ]
