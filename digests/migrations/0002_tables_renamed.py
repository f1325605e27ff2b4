"""The digest's tables take this app's names (with the many-to-many tables)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("digests", "0001_digests_app")]

    operations = [
        migrations.AlterModelTable(name="memberpreferences", table=None),
        migrations.AlterModelTable(name="digestrun", table=None),
        migrations.AlterModelTable(name="digestdelivery", table=None),
    ]
