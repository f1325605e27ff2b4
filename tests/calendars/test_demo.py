"""The demo's imported calendar: one network's feed, read from the file the site serves, its
weekly, fortnightly, monthly and all-day events imported and published, and again unchanged."""

import io

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

from calendars import services
from calendars.demo import FEED_FILE, NETWORK, seed_calendars
from calendars.models import CalendarFeed, ImportedEvent, SyncStatus
from events.choices import EventFormat
from events.models import EventPage
from hub.models import HomePage
from networks.factories import NetworkIndexPageFactory, NetworkPageFactory


@pytest.mark.django_db
def test_the_demo_imports_a_networks_calendar_once(demo_site, client):
    feed = CalendarFeed.objects.get()
    assert feed.network.title == NETWORK
    assert feed.url.endswith("/static/calendars/harbour-peer-support.ics")
    assert finders.find("calendars/harbour-peer-support.ics") == str(FEED_FILE)
    assert feed.last_status == SyncStatus.IMPORTED and feed.last_synced_at is not None
    assert feed.created_count >= 20 and feed.last_error == ""

    events = EventPage.objects.live().filter(calendar_imports__feed=feed)
    assert events.count() == feed.created_count
    assert {event.format for event in events} == {EventFormat.IN_PERSON, EventFormat.ONLINE}
    assert events.filter(title="Coastal walk and talk", start__hour=0).exists()
    assert {link.uid.split("@")[0] for link in ImportedEvent.objects.all()} == {
        "plymouth-circle", "falmouth-circle", "online-circle", "coastal-walk",
    }  # fmt: skip
    assert client.get(events.first().url).status_code == 200

    call_command("seed_demo", stdout=io.StringIO())
    feed.refresh_from_db()
    assert (feed.created_count, feed.updated_count, feed.cancelled_count) == (0, 0, 0)
    assert ImportedEvent.objects.count() == events.count()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_demo_feeds_address_is_the_file_the_site_serves(live_server, settings):
    # As "Sync now" in the demo does: the site fetches its own static file, then is told
    # "not modified" for it.
    settings.BASE_URL = live_server.url
    network = NetworkPageFactory(title=NETWORK, parent=NetworkIndexPageFactory(
        parent=HomePage.objects.get()
    ))  # fmt: skip
    seed_calendars()
    feed = CalendarFeed.objects.get()
    assert feed.url.startswith(live_server.url)
    imported = feed.created_count
    assert imported >= 20

    services.feed_sync(feed_id=feed.pk)
    feed.refresh_from_db()
    assert feed.last_status == SyncStatus.IMPORTED, feed.last_error
    assert (feed.created_count, feed.unchanged_count) == (0, imported)
    assert feed.last_modified

    services.feed_sync(feed_id=feed.pk)
    feed.refresh_from_db()
    assert feed.last_status == SyncStatus.NOT_MODIFIED
    assert EventPage.objects.child_of(network).count() == imported
