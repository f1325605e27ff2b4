"""Django's Site, which allauth's emails call the site, follows the settings: SITE_NAME and the
host of BASE_URL, so that no email says "Hello from 127.0.0.1:8000"."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sites.models import Site


def site_sync(**kwargs) -> None:
    Site.objects.update_or_create(
        pk=settings.SITE_ID,
        defaults={"domain": urlsplit(settings.BASE_URL).netloc, "name": settings.SITE_NAME},
    )
    Site.objects.clear_cache()
