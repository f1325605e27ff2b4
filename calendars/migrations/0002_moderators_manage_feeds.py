from django.db import migrations

from hub.group_permissions import group_permissions_grant, group_permissions_revoke

# Hub moderators add and edit any network's imported calendars; a network's admins their own
# (calendars.admin_views), without any model permission.
GRANT = {
    "group": "Moderators",
    "app_label": "calendars",
    "codenames": ["add_calendarfeed", "change_calendarfeed", "view_calendarfeed"],
}


def grant(apps, schema_editor):
    group_permissions_grant(apps, **GRANT)


def revoke(apps, schema_editor):
    group_permissions_revoke(apps, **GRANT)


class Migration(migrations.Migration):
    dependencies = [
        ("calendars", "0001_feeds"),
        ("hub", "0006_moderator_permissions"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
