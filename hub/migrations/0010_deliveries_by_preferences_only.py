import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("hub", "0009_deliveries_by_preferences")]

    operations = [
        migrations.RemoveConstraint(
            model_name="digestdelivery",
            name="one_digest_per_period",
        ),
        migrations.RemoveIndex(
            model_name="digestdelivery",
            name="digest_last_sent",
        ),
        migrations.RemoveField(
            model_name="digestdelivery",
            name="user",
        ),
        migrations.AlterField(
            model_name="digestdelivery",
            name="preferences",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="digest_deliveries", to="hub.memberpreferences"),
        ),
        migrations.AddConstraint(
            model_name="digestdelivery",
            constraint=models.UniqueConstraint(fields=("preferences", "period"), name="one_digest_per_member_and_period"),
        ),
        migrations.AddIndex(
            model_name="digestdelivery",
            index=models.Index(fields=["preferences", "-sent_at"], name="digest_member_last_sent"),
        ),
    ]
