import django.db.models.deletion
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """Preferences of email-only subscribers; deliveries gain a key to the preferences row
    (filled in by 0009, made the only key by 0010)."""

    dependencies = [
        ('hub', '0007_digest'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='memberpreferences',
            name='user',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='preferences', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='memberpreferences',
            name='email',
            field=models.EmailField(blank=True, help_text='Only for a subscriber without an account.', max_length=254),
        ),
        migrations.AddField(
            model_name='memberpreferences',
            name='confirmed_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='memberpreferences',
            name='confirmation_sent_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddConstraint(
            model_name='memberpreferences',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('email', ''), ('user__isnull', False)), models.Q(('digest_frequency', 'weekly'), ('user__isnull', True), models.Q(('email', ''), _negated=True)), _connector='OR'), name='preferences_of_a_user_or_a_weekly_email'),
        ),
        migrations.AddConstraint(
            model_name='memberpreferences',
            constraint=models.UniqueConstraint(django.db.models.functions.text.Lower('email'), condition=models.Q(('user__isnull', True)), name='one_subscription_per_email'),
        ),
        migrations.CreateModel(
            name='Subscriber',
            fields=[
            ],
            options={
                'verbose_name': 'digest subscriber',
                'proxy': True,
                'indexes': [],
                'constraints': [],
            },
            bases=('hub.memberpreferences',),
        ),
        migrations.AlterField(
            model_name='digestdelivery',
            name='user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='digest_deliveries', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='digestdelivery',
            name='preferences',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='digest_deliveries', to='hub.memberpreferences'),
        ),
    ]
