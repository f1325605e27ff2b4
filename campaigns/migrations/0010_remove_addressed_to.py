"""The free-text `addressed_to` is gone: 0009 made it the demands' targets. It is given a
default first so that undoing this can add the column back to existing rows (0009, undone,
then writes the targets' names into it)."""

import modelcluster.fields
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0009_targets_from_addressed_to'),
        ('targets', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='demandpage',
            name='addressed_to',
            field=models.CharField(default='', help_text='Who must act: a minister, NHS England, a trust.', max_length=200),
        ),
        migrations.RemoveField(
            model_name='demandpage',
            name='addressed_to',
        ),
        migrations.AlterField(
            model_name='demandpage',
            name='targets',
            field=modelcluster.fields.ParentalManyToManyField(blank=True, help_text='The bodies that must answer it. Hub moderators add new ones under Targets.', related_name='demands', to='targets.target'),
        ),
    ]
