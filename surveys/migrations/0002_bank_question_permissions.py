"""Who keeps the question bank: hub moderators add, change and delete its questions. Network
editors' groups (and Wagtail's hub-wide Editors) may view them, which is what the page editor's
bank-question chooser asks: they choose a question, never reword it. Groups made later get the
same at approval (networks.approval)."""

from django.db import migrations

from hub.group_permissions import group_permissions_grant, group_permissions_revoke

MODERATOR_PERMISSIONS = [
    "add_bankquestion",
    "change_bankquestion",
    "delete_bankquestion",
    "view_bankquestion",
]
EDITOR_PERMISSIONS = ["view_bankquestion"]


def _network_editor_groups(apps):
    NetworkPage = apps.get_model("networks", "NetworkPage")
    names = (
        apps.get_model("auth", "Group")
        .objects.filter(pk__in=NetworkPage.objects.values("editors_group"))
        .values_list("name", flat=True)
    )
    return ["Editors", *names]


def grant(apps, schema_editor):
    group_permissions_grant(
        apps, group="Moderators", app_label="surveys", codenames=MODERATOR_PERMISSIONS
    )
    for group in _network_editor_groups(apps):
        group_permissions_grant(apps, group=group, app_label="surveys", codenames=EDITOR_PERMISSIONS)


def revoke(apps, schema_editor):
    group_permissions_revoke(
        apps, group="Moderators", app_label="surveys", codenames=MODERATOR_PERMISSIONS
    )
    for group in _network_editor_groups(apps):
        group_permissions_revoke(
            apps, group=group, app_label="surveys", codenames=EDITOR_PERMISSIONS
        )


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0001_initial"),
        ("hub", "0006_moderator_permissions"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
