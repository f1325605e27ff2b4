"""Version 1 of every demand published so far, from its live wording, with the co-signatures
made before versions existed naming it; version 1 of every platform, listing its live demands.
Hub moderators may read versions in the admin (editors change wording by publishing)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import Q
from django.utils import timezone

FIRST_PUBLISHED = "First published"
MODERATOR_PERMISSIONS = ["view_demandversion", "view_platformversion"]


def _published(model):
    return model.objects.filter(Q(live=True) | Q(first_published_at__isnull=False))


def versions_first(apps, schema_editor):
    DemandPage = apps.get_model("campaigns", "DemandPage")
    PlatformPage = apps.get_model("campaigns", "PlatformPage")
    DemandVersion = apps.get_model("campaigns", "DemandVersion")
    PlatformVersion = apps.get_model("campaigns", "PlatformVersion")
    NetworkCoSignature = apps.get_model("campaigns", "NetworkCoSignature")

    now = timezone.now()
    # The page row holds the live wording; an unpublished draft lives only in its revisions.
    demands = _published(DemandPage).exclude(
        pk__in=DemandVersion.objects.values("demand_id")
    )
    for demand in demands.order_by("path"):
        version = DemandVersion.objects.create(
            demand=demand,
            number=1,
            ask=demand.ask,
            case=demand.case.get_prep_value(),
            revision_id=demand.live_revision_id,
            published_at=demand.first_published_at or demand.last_published_at or now,
            agreed_by=FIRST_PUBLISHED,
        )
        NetworkCoSignature.objects.filter(demand=demand, version__isnull=True).update(
            version=version
        )

    numbers = dict(
        DemandVersion.objects.order_by("demand_id", "number").values_list("demand_id", "number")
    )
    platforms = _published(PlatformPage).exclude(
        pk__in=PlatformVersion.objects.values("platform_id")
    )
    for platform in platforms:
        children = DemandPage.objects.filter(
            path__startswith=platform.path, depth=platform.depth + 1, live=True
        ).order_by("path")
        PlatformVersion.objects.create(
            platform=platform,
            number=1,
            demands=[
                {"demand": demand.pk, "title": demand.title, "version": numbers.get(demand.pk)}
                for demand in children
            ],
            published_at=platform.first_published_at or platform.last_published_at or now,
            agreed_by=FIRST_PUBLISHED,
        )


def moderators_read_versions(apps, schema_editor):
    # Permissions are normally made after all migrations; the group needs them now.
    app_config = apps.get_app_config("campaigns")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    moderators.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="campaigns", codename__in=MODERATOR_PERMISSIONS
        )
    )


def forwards(apps, schema_editor):
    versions_first(apps, schema_editor)
    moderators_read_versions(apps, schema_editor)


def backwards(apps, schema_editor):
    # The versions stay: 0005's tables hold them, and a later forward run skips what has one.
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    moderators = Group.objects.filter(name="Moderators").first()
    if moderators is not None:
        moderators.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="campaigns", codename__in=MODERATOR_PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0005_versions_and_mandates"),
        ("hub", "0006_moderator_permissions"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
