from django.db import migrations

from hub.group_permissions import group_permissions_grant, group_permissions_revoke

# Hub moderators record deliveries and the targets' responses, and correct them; network
# editors and admins hold none of these, so every delivery URL in the admin refuses them.
GRANT = {
    "group": "Moderators",
    "app_label": "targets",
    "codenames": [
        "add_delivery",
        "change_delivery",
        "view_delivery",
        "add_targetresponse",
        "change_targetresponse",
        "view_targetresponse",
    ],
}


def grant(apps, schema_editor):
    group_permissions_grant(apps, **GRANT)


def revoke(apps, schema_editor):
    group_permissions_revoke(apps, **GRANT)


class Migration(migrations.Migration):
    dependencies = [
        ("targets", "0002_moderators_keep_targets"),
        ("hub", "0006_moderator_permissions"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
