"""A group's model permissions, granted or revoked from a data migration. Django makes
permissions after all migrations have run; a group that needs them sooner makes them first."""

from django.contrib.auth.management import create_permissions


def group_permissions_grant(apps, *, group: str, app_label: str, codenames: list[str]) -> None:
    app_config = apps.get_app_config(app_label)
    # The migration state's app configs have no models module, which create_permissions takes
    # as "no models"; it reads the models from `apps` all the same.
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    holder, _ = Group.objects.get_or_create(name=group)
    holder.permissions.add(
        *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    )


def group_permissions_revoke(apps, *, group: str, app_label: str, codenames: list[str]) -> None:
    holder = apps.get_model("auth.Group").objects.filter(name=group).first()
    if holder is not None:
        holder.permissions.remove(
            *apps.get_model("auth.Permission").objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            )
        )
