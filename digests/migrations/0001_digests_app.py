"""The digest's tables move here from hub (which now imports no feature app), as they are:
the state moves (hub 0012 lets go of it), the rows stay; 0002 renames the tables."""

import django.db.models.deletion
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models


MODELS = ["memberpreferences", "subscriber", "digestrun", "digestdelivery"]


def _content_types_relabel(apps, old, new):
    # Permissions and admin log entries hang on the old content types: keep those, dropping
    # any that post_migrate made meanwhile under the new label (a migration back and forth).
    ContentType = apps.get_model("contenttypes", "ContentType")
    moving = ContentType.objects.filter(app_label=old, model__in=MODELS)
    ContentType.objects.filter(
        app_label=new, model__in=moving.values_list("model", flat=True)
    ).delete()
    moving.update(app_label=new)


def content_types_move(apps, schema_editor):
    _content_types_relabel(apps, "hub", "digests")


def content_types_return(apps, schema_editor):
    _content_types_relabel(apps, "digests", "hub")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('hub', '0012_digests_app'),
        ('networks', '0002_positions_applications_invitations'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='DigestRun',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('frequency', models.CharField(choices=[('off', 'Off'), ('daily', 'Daily'), ('weekly', 'Weekly')], max_length=10)),
                        ('period', models.CharField(help_text='e.g. 2026-11-23 or 2026-W48.', max_length=20)),
                        ('started_at', models.DateTimeField(auto_now_add=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('recipients', models.PositiveIntegerField(default=0)),
                        ('batches_pending', models.PositiveIntegerField(default=0)),
                        ('sent', models.PositiveIntegerField(default=0)),
                        ('skipped_empty', models.PositiveIntegerField(default=0)),
                        ('failed', models.PositiveIntegerField(default=0)),
                        ('demand_state', models.JSONField(default=dict, editable=False)),
                        ('demand_news', models.JSONField(default=dict, editable=False)),
                    ],
                    options={
                        'db_table': 'hub_digestrun',
                        'ordering': ['-started_at'],
                        'get_latest_by': 'started_at',
                    },
                ),
                migrations.CreateModel(
                    name='MemberPreferences',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('email', models.EmailField(blank=True, help_text='Only for a subscriber without an account.', max_length=254)),
                        ('confirmed_at', models.DateTimeField(blank=True, null=True)),
                        ('confirmation_sent_at', models.DateTimeField(blank=True, null=True)),
                        ('digest_frequency', models.CharField(choices=[('off', 'Off'), ('daily', 'Daily'), ('weekly', 'Weekly')], db_index=True, default='off', max_length=10)),
                        ('networks', models.ManyToManyField(blank=True, related_name='followers', to='networks.networkpage')),
                        ('regions', models.ManyToManyField(blank=True, related_name='followers', to='hub.region')),
                        ('topics', models.ManyToManyField(blank=True, related_name='followers', to='hub.topic')),
                        ('user', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='preferences', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'hub_memberpreferences',
                        'verbose_name': 'member preferences',
                        'verbose_name_plural': 'member preferences',
                    },
                ),
                migrations.CreateModel(
                    name='DigestDelivery',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('period', models.CharField(help_text='Frequency and period: daily:2026-11-23.', max_length=30)),
                        ('status', models.CharField(choices=[('sending', 'Claimed, being sent'), ('sent', 'Sent'), ('empty', 'Nothing to send'), ('failed', 'Refused by the mail server')], max_length=10)),
                        ('claimed_at', models.DateTimeField()),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                        ('run', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='digests.digestrun')),
                        ('preferences', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='digest_deliveries', to='digests.memberpreferences')),
                    ],
                    options={'db_table': 'hub_digestdelivery'},
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
                    bases=('digests.memberpreferences',),
                ),
                migrations.AddConstraint(
                    model_name='memberpreferences',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('email', ''), ('user__isnull', False)), models.Q(('digest_frequency', 'weekly'), ('user__isnull', True), models.Q(('email', ''), _negated=True)), _connector='OR'), name='preferences_of_a_user_or_a_weekly_email'),
                ),
                migrations.AddConstraint(
                    model_name='memberpreferences',
                    constraint=models.UniqueConstraint(django.db.models.functions.text.Lower('email'), condition=models.Q(('user__isnull', True)), name='one_subscription_per_email'),
                ),
                migrations.AddIndex(
                    model_name='digestdelivery',
                    index=models.Index(fields=['preferences', '-sent_at'], name='digest_member_last_sent'),
                ),
                migrations.AddConstraint(
                    model_name='digestdelivery',
                    constraint=models.UniqueConstraint(fields=('preferences', 'period'), name='one_digest_per_member_and_period'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_move, content_types_return),
    ]
