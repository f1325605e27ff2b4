"""Beat syncs the feeds that are due, each in a task of its own; a feed is never synced twice
at once, and a second sync queued behind the first finds nothing left to do."""

import datetime as dt

import pytest
from django.conf import settings
from django.db import IntegrityError
from django.utils import timezone

from calendars import services
from calendars.models import ImportedEvent, SyncStatus
from calendars.tasks import sync_calendar, sync_due_calendars
from config.celery import app
from events.factories import EventPageFactory
from events.models import EventPage
from tests.calendars.conftest import feed_for, ics, vevent
from tests.calendars.test_services import soon
from tests.conftest import run_in_threads


def test_beat_runs_the_sync_of_due_calendars():
    entry = settings.CELERY_BEAT_SCHEDULE["sync-due-calendars"]
    assert entry["task"] == sync_due_calendars.name
    assert entry["task"] in app.tasks
    assert settings.CALENDAR_IMPORT_INTERVAL == 3600


@pytest.mark.django_db
def test_due_feeds_are_synced_each_once_and_others_left(calendar_server, network):
    body = ics(vevent("a@example.org", soon()))
    url = calendar_server.serve("/cal.ics", body)
    hours_ago = timezone.now() - dt.timedelta(hours=2)
    minutes_ago = timezone.now() - dt.timedelta(minutes=5)
    never = feed_for(network, url)
    stale = feed_for(network, calendar_server.serve("/s.ics", body), last_synced_at=hours_ago)
    fresh = feed_for(network, calendar_server.serve("/f.ics", body), last_synced_at=minutes_ago)
    off = feed_for(network, calendar_server.serve("/o.ics", body), active=False)

    assert sync_due_calendars.delay().get() == 2
    for feed in (never, stale, fresh, off):
        feed.refresh_from_db()
    assert never.last_status == stale.last_status == SyncStatus.IMPORTED
    assert fresh.last_status == off.last_status == SyncStatus.NEVER
    assert len(calendar_server.routes["/cal.ics"].requests) == 1
    # A queued sync that finds its feed synced meanwhile does nothing.
    assert sync_calendar.delay(feed_id=never.pk, only_if_due=True).get() == SyncStatus.IMPORTED
    assert len(calendar_server.routes["/cal.ics"].requests) == 1
    assert EventPage.objects.count() == 2


@pytest.mark.django_db
def test_one_occurrence_is_linked_once(network):
    feed = feed_for(network, "https://calendar.example.org/a.ics")
    event = EventPageFactory(parent=network)
    ImportedEvent.objects.create(feed=feed, uid="a@x", occurrence="", event=event)
    with pytest.raises(IntegrityError):
        ImportedEvent.objects.create(feed=feed, uid="a@x", occurrence="", event=event)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_syncs_of_one_feed_at_once_import_each_event_once(calendar_server, network):
    # The server is slow, so the first sync still holds the feed when the second starts.
    weekly = vevent("weekly@example.org", soon(2), lines="RRULE:FREQ=WEEKLY;COUNT=3")
    body = ics(*(vevent(f"{n}@example.org", soon(n + 1)) for n in range(3)), weekly)
    url = calendar_server.serve("/cal.ics", body, delay=0.0005)
    feed = feed_for(network, url, publish=True)
    results = []
    run_in_threads(2, lambda index: results.append(services.feed_sync(feed_id=feed.pk)))

    assert sorted(result is None for result in results) == [False, True]
    assert ImportedEvent.objects.filter(feed=feed).count() == 6
    assert EventPage.objects.filter(calendar_imports__feed=feed).count() == 6
    assert len(calendar_server.routes["/cal.ics"].requests) == 1
