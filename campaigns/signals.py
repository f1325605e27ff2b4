"""Publishing records versions: a demand's wording when its ask or case changed, and a
platform's list of demands when a demand joins, leaves or changes version."""

from wagtail.signals import page_published, page_unpublished

from . import services
from .models import DemandPage, PlatformPage


def _platform_of(demand: DemandPage) -> PlatformPage | None:
    return PlatformPage.objects.parent_of(demand).first()


def _demand_published(sender, instance, revision=None, **kwargs):
    # Wagtail signals a first publish scheduled for later too: its wording is not live yet.
    if not instance.live:
        return
    services.demand_version_record(demand=instance, revision=revision)
    if platform := _platform_of(instance):
        services.platform_version_record(platform=platform)


def _demand_unpublished(sender, instance, **kwargs):
    # Unpublished on its way to deletion, the page row may still say live.
    if platform := _platform_of(instance):
        services.platform_version_record(platform=platform, leaving=instance)


def _platform_published(sender, instance, **kwargs):
    if not instance.live:
        return
    services.platform_version_record(platform=instance)


def connect() -> None:
    page_published.connect(_demand_published, sender=DemandPage, dispatch_uid="campaigns-demand")
    page_unpublished.connect(
        _demand_unpublished, sender=DemandPage, dispatch_uid="campaigns-demand-gone"
    )
    page_published.connect(
        _platform_published, sender=PlatformPage, dispatch_uid="campaigns-platform"
    )
