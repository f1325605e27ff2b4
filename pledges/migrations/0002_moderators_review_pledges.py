from django.db import migrations

from hub.group_permissions import group_permissions_grant, group_permissions_revoke

# Hub moderators review proposed pledges in the admin; network editors and admins do not.
MODERATOR_PERMISSIONS = ["view_pledge", "change_pledge"]


def grant(apps, schema_editor):
    group_permissions_grant(
        apps, group="Moderators", app_label="pledges", codenames=MODERATOR_PERMISSIONS
    )


def revoke(apps, schema_editor):
    group_permissions_revoke(
        apps, group="Moderators", app_label="pledges", codenames=MODERATOR_PERMISSIONS
    )


class Migration(migrations.Migration):
    dependencies = [
        ("pledges", "0001_initial"),
        ("hub", "0006_moderator_permissions"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
