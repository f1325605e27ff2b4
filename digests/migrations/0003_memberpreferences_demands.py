from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0005_versions_and_mandates"),
        ("digests", "0002_tables_renamed"),
    ]

    operations = [
        migrations.AddField(
            model_name="memberpreferences",
            name="demands",
            field=models.ManyToManyField(
                blank=True, related_name="followers", to="campaigns.demandpage"
            ),
        ),
    ]
