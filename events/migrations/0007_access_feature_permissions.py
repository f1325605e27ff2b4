"""Who keeps the list of access and safety features: hub moderators add, change and remove
them; Wagtail's Editors group (hub-wide editors) may add and correct them but not remove one
that events use. Network editors choose from the list: one network's addition would show in
every network's finder."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Moderators": ["add_accessfeature", "change_accessfeature", "delete_accessfeature"],
    "Editors": ["add_accessfeature", "change_accessfeature"],
}


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations; these groups need them now.
    app_config = apps.get_app_config("events")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="events", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    for name, codenames in GRANTS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="events", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0006_access_features_from_text"),
        ("hub", "0006_moderator_permissions"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
