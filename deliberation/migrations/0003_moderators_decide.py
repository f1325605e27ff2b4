from django.contrib.auth.management import create_permissions
from django.db import migrations

# Hub moderators open and close decisions and keep the amendments' record in the admin;
# network admins and Wagtail's editors do not.
MODERATOR_PERMISSIONS = [
    "add_decision",
    "change_decision",
    "view_decision",
    "view_amendment",
    "change_amendment",
]


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations; the group needs them now.
    app_config = apps.get_app_config("deliberation")
    # The migration state's app configs have no models module, which create_permissions takes
    # as "no models"; it reads the models from `apps` all the same.
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    moderators.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="deliberation", codename__in=MODERATOR_PERMISSIONS
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    moderators = Group.objects.filter(name="Moderators").first()
    if moderators is not None:
        moderators.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="deliberation", codename__in=MODERATOR_PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("deliberation", "0002_decision_tally"),
        ("hub", "0006_moderator_permissions"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
