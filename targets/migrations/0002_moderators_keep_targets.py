"""Who keeps the list of targets: hub moderators add, change and remove them, as they edit the
demands that name them. Wagtail's Editors group (hub-wide editors, who may draft a demand) may
see the list, not change it: a target's page is public in the coalition's name. Network editors
get nothing: they never edit a demand."""

from django.db import migrations

from hub.group_permissions import group_permissions_grant, group_permissions_revoke

GRANTS = [
    {
        "group": "Moderators",
        "app_label": "targets",
        "codenames": ["add_target", "change_target", "delete_target", "view_target"],
    },
    {"group": "Editors", "app_label": "targets", "codenames": ["view_target"]},
]


def grant(apps, schema_editor):
    for each in GRANTS:
        group_permissions_grant(apps, **each)


def revoke(apps, schema_editor):
    for each in GRANTS:
        group_permissions_revoke(apps, **each)


class Migration(migrations.Migration):
    dependencies = [
        ("targets", "0001_initial"),
        ("hub", "0006_moderator_permissions"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
