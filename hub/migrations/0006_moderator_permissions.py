from django.contrib.auth.management import create_permissions
from django.db import migrations

# Wagtail's own "Moderators" group already moderates every page; hub moderators also review
# network applications, see every event's attendees, clear or invalidate held signatures, and
# keep the shared topics.
MODERATOR_PERMISSIONS = [
    ("networks", "view_networkapplication"),
    ("networks", "change_networkapplication"),
    ("events", "view_rsvp"),
    ("campaigns", "view_signature"),
    ("campaigns", "change_signature"),
    ("campaigns", "delete_signature"),
    ("hub", "add_topic"),
    ("hub", "change_topic"),
]


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations; this group needs them now.
    for label in {app for app, _ in MODERATOR_PERMISSIONS}:
        app_config = apps.get_app_config(label)
        # The migration state's app configs have no models module, which create_permissions
        # takes as "no models"; it reads the models from `apps` all the same.
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    for app_label, codename in MODERATOR_PERMISSIONS:
        moderators.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    moderators = Group.objects.filter(name="Moderators").first()
    if moderators is None:
        return
    for app_label, codename in MODERATOR_PERMISSIONS:
        moderators.permissions.remove(
            *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("hub", "0005_load_regions"),
        ("networks", "0002_positions_applications_invitations"),
        ("events", "0001_initial"),
        ("campaigns", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
