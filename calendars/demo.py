"""The demo's imported calendar: Harbour Peer Support Circle's, a file in the repository that
the site serves as a static file. The seeder reads the file and imports it through the same
parsing and sync as a fetched one (no network at seeding time, when the site is not serving
yet); the feed's address is where the site serves that file, so "Sync now" fetches it."""

from django.conf import settings
from django.db import transaction
from django.templatetags.static import static

from networks.models import NetworkPage

from . import services
from .models import CalendarFeed, ImportedEvent

NETWORK = "Harbour Peer Support Circle"
FEED_FILE = settings.BASE_DIR / "static" / "calendars" / "harbour-peer-support.ics"


def seed_calendars() -> dict[str, int]:
    network = NetworkPage.objects.filter(title=NETWORK).first()
    if network is not None:
        url = settings.BASE_URL + static("calendars/harbour-peer-support.ics")
        feed, _ = CalendarFeed.objects.get_or_create(
            network=network, url=url, defaults={"publish": True}
        )
        with transaction.atomic():
            feed = CalendarFeed.objects.select_for_update().get(pk=feed.pk)
            services.feed_import(feed=feed, content=FEED_FILE.read_bytes())
    return {
        "imported calendars": CalendarFeed.objects.count(),
        "imported events": ImportedEvent.objects.count(),
    }
