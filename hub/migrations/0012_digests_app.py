"""The digest's models now belong to the digests app (digests 0001 takes them, rows and all)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('hub', '0011_outbox'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='digestdelivery',
                    name='preferences',
                ),
                migrations.RemoveField(
                    model_name='digestdelivery',
                    name='run',
                ),
                migrations.RemoveField(
                    model_name='memberpreferences',
                    name='networks',
                ),
                migrations.RemoveField(
                    model_name='memberpreferences',
                    name='regions',
                ),
                migrations.RemoveField(
                    model_name='memberpreferences',
                    name='topics',
                ),
                migrations.RemoveField(
                    model_name='memberpreferences',
                    name='user',
                ),
                migrations.DeleteModel(
                    name='Subscriber',
                ),
                migrations.DeleteModel(
                    name='DigestDelivery',
                ),
                migrations.DeleteModel(
                    name='DigestRun',
                ),
                migrations.DeleteModel(
                    name='MemberPreferences',
                ),
            ],
            database_operations=[],
        ),
    ]
