"""Importing a network's calendar: events made under the network as drafts or published, kept
up to date by UID (recurring ones by occurrence), in UK time, never twice; removed ones
cancelled; an editor's change kept; a broken calendar reported, never crashing the sync."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from calendars import services
from calendars.models import ImportedEvent, SyncStatus
from events.choices import LONDON, Booking, EventFormat
from events.models import EventPage
from tests.calendars.conftest import feed_for, ics, vevent

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")


def soon(days=10, hour=18) -> dt.datetime:
    day = timezone.localtime(timezone.now(), LONDON).date() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON)


def sync(feed):
    services.feed_sync(feed_id=feed.pk)
    feed.refresh_from_db()
    return feed


def counts(feed):
    return (feed.created_count, feed.updated_count, feed.cancelled_count, feed.unchanged_count)


def imported_pages(feed):
    return EventPage.objects.filter(calendar_imports__feed=feed).order_by("start")


def test_single_events_become_draft_events_of_the_network(calendar_server, network):
    start = soon()
    url = calendar_server.serve("/cal.ics", ics(
        vevent("cafe@example.org", start, summary="Workers' cafe", lines=(
            "LOCATION:Friends Meeting House\\, Manchester\r\n"
            "DESCRIPTION:Tea and talk.\\n\\nAll welcome.\r\n"
            "URL:https://example.org/cafe"
        )),
        vevent("online@example.org", soon(12), summary="Online drop-in",
               lines="LOCATION:https://meet.example.org/drop-in"),
    ))  # fmt: skip
    feed = sync(feed_for(network, url))

    assert feed.last_status == SyncStatus.IMPORTED
    assert counts(feed) == (2, 0, 0, 0)
    assert feed.last_error == ""
    cafe, online = imported_pages(feed)
    assert cafe.get_parent().specific == network
    assert cafe.organising_network_id == network.pk
    assert not cafe.live and cafe.has_unpublished_changes
    assert cafe.title == "Workers' cafe"
    assert cafe.start == start and cafe.end == start + dt.timedelta(hours=2)
    assert cafe.venue == "Friends Meeting House, Manchester"
    assert cafe.format == EventFormat.IN_PERSON
    assert cafe.search_description == "Tea and talk. All welcome."
    assert cafe.description.raw_data[0]["value"] == "<p>Tea and talk.</p>\n\n<p>All welcome.</p>"
    assert (cafe.booking, cafe.booking_url) == (Booking.EXTERNAL, "https://example.org/cafe")
    assert online.format == EventFormat.ONLINE
    assert online.online_url == "https://meet.example.org/drop-in"
    assert online.venue == "" and online.booking == Booking.NONE


def test_a_feed_that_publishes_publishes(calendar_server, network):
    url = calendar_server.serve("/cal.ics", ics(vevent("a@example.org", soon())))
    feed = sync(feed_for(network, url, publish=True))
    event = imported_pages(feed).get()
    assert event.live and not event.has_unpublished_changes
    assert EventPage.objects.live().filter(pk=event.pk).exists()


def test_a_second_sync_of_the_same_calendar_changes_nothing(calendar_server, network):
    url = calendar_server.serve("/cal.ics", ics(
        vevent("a@example.org", soon()), vevent("b@example.org", soon(11), summary="Other",
                                                lines="DESCRIPTION:Long\\nwords"),
        vevent("w@example.org", soon(3), lines="RRULE:FREQ=WEEKLY;COUNT=4"),
    ))  # fmt: skip
    feed = sync(feed_for(network, url, publish=True))
    assert feed.created_count == 6
    revisions = {event.pk: event.latest_revision_id for event in imported_pages(feed)}

    feed = sync(feed)
    assert counts(feed) == (0, 0, 0, 6)
    assert {event.pk: event.latest_revision_id for event in imported_pages(feed)} == revisions
    assert ImportedEvent.objects.filter(feed=feed).count() == 6


def test_a_weekly_event_is_expanded_for_the_coming_months_without_its_exdate(
    calendar_server, network, settings
):
    settings.CALENDAR_IMPORT_HORIZON_DAYS = 92
    first = soon(days=2, hour=19)
    skipped = first + dt.timedelta(weeks=2)
    url = calendar_server.serve("/cal.ics", ics(
        f"UID:peer-group@example.org\r\nDTSTAMP:20260101T000000Z\r\n"
        f"DTSTART;TZID=Europe/London:{first:%Y%m%dT%H%M%S}\r\n"
        f"DTEND;TZID=Europe/London:{first + dt.timedelta(hours=2):%Y%m%dT%H%M%S}\r\n"
        f"RRULE:FREQ=WEEKLY\r\nEXDATE;TZID=Europe/London:{skipped:%Y%m%dT%H%M%S}\r\n"
        "SUMMARY:Peer support group",
    ))  # fmt: skip
    feed = sync(feed_for(network, url))

    starts = [event.start_local for event in imported_pages(feed)]
    horizon = timezone.now() + dt.timedelta(days=92)
    expected = [
        first + dt.timedelta(weeks=n)
        for n in range(20)
        if first + dt.timedelta(weeks=n) < horizon and n != 2
    ]
    # Every week at 19:00 UK time, summer time or not, but the week left out.
    assert [(s.date(), s.time()) for s in starts] == [(e.date(), dt.time(19)) for e in expected]
    assert len(starts) in (12, 13)
    links = ImportedEvent.objects.filter(feed=feed)
    assert {link.uid for link in links} == {"peer-group@example.org"}
    assert len({link.occurrence for link in links}) == len(starts)
    assert len({event.slug for event in imported_pages(feed)}) == len(starts)


def test_a_moved_occurrence_keeps_its_page(calendar_server, network):
    first = soon(days=2, hour=19)
    series = vevent("series@example.org", first, lines="RRULE:FREQ=WEEKLY;COUNT=3")
    url = calendar_server.serve("/cal.ics", ics(series))
    feed = sync(feed_for(network, url))
    second = imported_pages(feed)[1]

    moved = first + dt.timedelta(weeks=1)
    calendar_server.serve("/cal.ics", ics(series, vevent(
        "series@example.org", moved + dt.timedelta(hours=1), summary="Meeting (later)",
        lines=f"RECURRENCE-ID:{moved.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}",
    )))  # fmt: skip
    feed = sync(feed)
    assert counts(feed) == (0, 1, 0, 2)
    second.refresh_from_db()
    page = second.get_latest_revision_as_object()
    assert page.title == "Meeting (later)"
    assert page.start == moved + dt.timedelta(hours=1)


def test_times_in_other_zones_land_at_the_right_uk_time(calendar_server, network):
    day = soon(days=20).date()
    new_york = dt.datetime.combine(day, dt.time(19, 30), tzinfo=NEW_YORK)
    url = calendar_server.serve("/cal.ics", ics(
        f"UID:ny@example.org\r\nDTSTAMP:20260101T000000Z\r\n"
        f"DTSTART;TZID=America/New_York:{new_york:%Y%m%dT%H%M%S}\r\n"
        f"DTEND;TZID=America/New_York:{new_york + dt.timedelta(hours=1):%Y%m%dT%H%M%S}\r\n"
        "SUMMARY:Call with New York",
        f"UID:floating@example.org\r\nDTSTAMP:20260101T000000Z\r\n"
        f"DTSTART:{day:%Y%m%d}T100000\r\nDTEND:{day:%Y%m%d}T113000\r\nSUMMARY:Floating",
        f"UID:utc@example.org\r\nDTSTAMP:20260101T000000Z\r\n"
        f"DTSTART:{day:%Y%m%d}T120000Z\r\nSUMMARY:No end",
    ))  # fmt: skip
    feed = sync(feed_for(network, url))
    events = {event.title: event for event in imported_pages(feed)}

    assert events["Call with New York"].start == new_york
    uk = events["Call with New York"].start_local
    assert uk == new_york.astimezone(LONDON) and uk.hour in (23, 0)
    # A time with no zone is taken as UK time.
    assert events["Floating"].start_local.replace(tzinfo=None) == dt.datetime.combine(
        day, dt.time(10)
    )
    assert events["Floating"].end - events["Floating"].start == dt.timedelta(minutes=90)
    # An event with no end is given an hour.
    assert events["No end"].start == dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
    assert events["No end"].end - events["No end"].start == dt.timedelta(hours=1)


def test_all_day_events_run_from_midnight_uk_time(calendar_server, network):
    day = soon(days=15).date()
    url = calendar_server.serve("/cal.ics", ics(
        f"UID:day@example.org\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:{day:%Y%m%d}\r\n"
        "SUMMARY:Day of action",
        f"UID:weekend@example.org\r\nDTSTAMP:20260101T000000Z\r\n"
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}\r\n"
        f"DTEND;VALUE=DATE:{day + dt.timedelta(days=2):%Y%m%d}\r\nSUMMARY:Weekend retreat",
    ))  # fmt: skip
    feed = sync(feed_for(network, url))
    events = {event.title: event for event in imported_pages(feed)}

    midnight = dt.datetime.combine(day, dt.time.min, tzinfo=LONDON)
    assert events["Day of action"].start == midnight
    assert events["Day of action"].end == dt.datetime.combine(
        day + dt.timedelta(days=1), dt.time.min, tzinfo=LONDON
    )
    assert events["Weekend retreat"].end == dt.datetime.combine(
        day + dt.timedelta(days=2), dt.time.min, tzinfo=LONDON
    )


def test_a_calendar_that_changes(calendar_server, network):
    kept, edited, removed = soon(5), soon(6), soon(7)
    url = calendar_server.serve("/cal.ics", ics(
        vevent("kept@example.org", kept, summary="Kept"),
        vevent("edited@example.org", edited, summary="Before"),
        vevent("removed@example.org", removed, summary="Removed"),
    ))  # fmt: skip
    feed = sync(feed_for(network, url, publish=True))
    assert feed.created_count == 3

    calendar_server.serve("/cal.ics", ics(
        vevent("kept@example.org", kept, summary="Kept"),
        vevent("edited@example.org", edited + dt.timedelta(hours=1), summary="After"),
        vevent("added@example.org", soon(8), summary="Added"),
    ))  # fmt: skip
    feed = sync(feed)
    assert counts(feed) == (1, 1, 1, 1)
    events = {link.uid: link.event for link in ImportedEvent.objects.filter(feed=feed)}
    assert events["edited@example.org"].title == "After"
    assert events["edited@example.org"].start == edited + dt.timedelta(hours=1)
    gone = events["removed@example.org"]
    # Cancelled and published, never deleted.
    assert gone.cancelled and gone.live and not gone.has_unpublished_changes
    assert events["added@example.org"].live

    feed = sync(feed)
    assert counts(feed) == (0, 0, 0, 3)


def test_a_past_event_gone_from_the_calendar_is_left_alone(calendar_server, network):
    start = soon(days=1)
    url = calendar_server.serve("/cal.ics", ics(vevent("a@example.org", start)))
    feed = feed_for(network, url, publish=True)
    services.feed_sync(feed_id=feed.pk)
    calendar_server.serve("/cal.ics", ics())
    services.feed_sync(feed_id=feed.pk, now=start + dt.timedelta(days=1))
    feed.refresh_from_db()
    assert feed.cancelled_count == 0
    assert not ImportedEvent.objects.get(feed=feed).event.cancelled


def test_an_event_cancelled_in_the_calendar_is_cancelled_here(calendar_server, network):
    start = soon()
    url = calendar_server.serve("/cal.ics", ics(vevent("a@example.org", start)))
    feed = sync(feed_for(network, url, publish=True))
    calendar_server.serve("/cal.ics", ics(vevent("a@example.org", start,
                                                 lines="STATUS:CANCELLED")))  # fmt: skip
    feed = sync(feed)
    assert counts(feed) == (0, 0, 1, 0)
    event = imported_pages(feed).get()
    assert event.cancelled and event.live


def test_an_editors_change_on_the_hub_is_never_overwritten(calendar_server, network):
    start = soon()
    url = calendar_server.serve("/cal.ics", ics(vevent("a@example.org", start, summary="Cafe",
                                                       lines="LOCATION:Old hall")))  # fmt: skip
    feed = sync(feed_for(network, url, publish=True))
    event = imported_pages(feed).get()
    event.title = "Workers' cafe (edited here)"
    event.town = "Leeds"
    event.save_revision().publish()

    calendar_server.serve("/cal.ics", ics(vevent(
        "a@example.org", start + dt.timedelta(hours=1), summary="Cafe, renamed",
        lines="LOCATION:New hall",
    )))  # fmt: skip
    feed = sync(feed)
    assert counts(feed) == (0, 1, 0, 0)
    event.refresh_from_db()
    assert event.title == "Workers' cafe (edited here)"
    assert event.town == "Leeds"
    assert event.venue == "New hall"
    assert event.start == start + dt.timedelta(hours=1)

    # The feed changing the title again still leaves the editor's.
    calendar_server.serve("/cal.ics", ics(vevent(
        "a@example.org", start + dt.timedelta(hours=1), summary="Cafe, renamed again",
        lines="LOCATION:New hall",
    )))  # fmt: skip
    feed = sync(feed)
    event.refresh_from_db()
    assert event.title == "Workers' cafe (edited here)"
    assert counts(feed) == (0, 0, 0, 1)


def test_an_editors_draft_is_not_published_by_an_import(calendar_server, network):
    start = soon()
    url = calendar_server.serve("/cal.ics", ics(vevent("a@example.org", start, summary="Cafe")))
    feed = sync(feed_for(network, url, publish=True))
    event = imported_pages(feed).get()
    event.cost = "£3, draft"
    event.save_revision()

    calendar_server.serve("/cal.ics", ics(vevent("a@example.org", start, summary="Cafe moved",
                                                 lines="LOCATION:Hall")))  # fmt: skip
    sync(feed)
    event.refresh_from_db()
    assert event.title == "Cafe" and event.cost == ""
    draft = event.get_latest_revision_as_object()
    assert (draft.title, draft.venue, draft.cost) == ("Cafe moved", "Hall", "£3, draft")


def test_a_304_changes_nothing_and_is_recorded(calendar_server, network):
    url = calendar_server.serve("/cal.ics", ics(vevent("a@example.org", soon())), etag='"v1"')
    feed = sync(feed_for(network, url))
    assert feed.etag == '"v1"'
    first_sync = feed.last_synced_at

    feed = sync(feed)
    assert feed.last_status == SyncStatus.NOT_MODIFIED
    assert feed.last_synced_at > first_sync
    assert counts(feed) == (1, 0, 0, 0)
    assert calendar_server.routes["/cal.ics"].requests[-1]["If-None-Match"] == '"v1"'
    assert EventPage.objects.count() == 1


BROKEN = {
    "html": ("<!DOCTYPE html><html><body>Sign in</body></html>", "web page"),
    "truncated": (ics(vevent("a@example.org", dt.datetime(2027, 1, 5, 18, tzinfo=dt.UTC)))[:150],
                  "cut short"),
    "garbage": ("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:not-a-date\r\n"
                "END:VEVENT\r\nEND:VCALENDAR\r\n", "could not be read"),
    "binary": (b"\xff\xfe\x00BEGIN:VCALENDAR END:VCALENDAR", "UTF-8"),
}  # fmt: skip


@pytest.mark.parametrize("kind", BROKEN)
def test_a_broken_calendar_is_reported_and_what_was_imported_stays(calendar_server, network, kind):
    url = calendar_server.serve("/cal.ics", ics(vevent("a@example.org", soon())), etag='"v1"')
    feed = sync(feed_for(network, url, publish=True))
    content, message = BROKEN[kind]
    calendar_server.serve("/cal.ics", content, etag='"v2"')

    feed = sync(feed)
    assert feed.last_status == SyncStatus.FAILED
    assert message in feed.last_error
    assert feed.consecutive_failures == 1
    # Fetched again next time: a file that failed is not "not modified".
    assert feed.etag == '"v1"'
    event = imported_pages(feed).get()
    assert event.live and not event.cancelled
    sync(feed)
    feed.refresh_from_db()
    assert feed.consecutive_failures == 2


def test_an_oversize_or_slow_calendar_is_reported(calendar_server, network, settings):
    settings.CALENDAR_IMPORT_MAX_BYTES = 500
    settings.CALENDAR_IMPORT_TIMEOUT = 0.5
    big = calendar_server.serve("/big.ics", ics(*[vevent(f"{n}@x", soon()) for n in range(10)]))
    slow = calendar_server.serve("/slow.ics", ics(vevent("a@x", soon()))[:400], delay=0.01)
    assert "larger than" in sync(feed_for(network, big)).last_error
    assert "too long" in sync(feed_for(network, slow)).last_error
    assert EventPage.objects.count() == 0


def test_a_recovered_calendar_clears_its_error(calendar_server, network):
    url = calendar_server.serve("/cal.ics", "nope", status=503)
    feed = sync(feed_for(network, url))
    assert feed.last_error == "The calendar's server answered 503."
    calendar_server.serve("/cal.ics", ics(vevent("a@example.org", soon())))
    feed = sync(feed)
    assert (feed.last_status, feed.last_error, feed.consecutive_failures) == (
        SyncStatus.IMPORTED, "", 0,
    )  # fmt: skip


def test_events_without_a_uid_are_left_out_and_too_many_refused(calendar_server, network, settings):
    no_uid = "DTSTAMP:20260101T000000Z\r\nDTSTART:20270105T180000Z\r\nSUMMARY:Nameless"
    url = calendar_server.serve("/cal.ics", ics(no_uid))
    assert "no UID" in sync(feed_for(network, url)).last_error

    settings.CALENDAR_IMPORT_MAX_EVENTS = 5
    daily = calendar_server.serve(
        "/daily.ics", ics(vevent("d@x", soon(1), lines="RRULE:FREQ=DAILY"))
    )
    assert "more than 5 events" in sync(feed_for(network, daily)).last_error
    assert EventPage.objects.count() == 0


def test_a_page_an_editor_deleted_is_not_brought_back(calendar_server, network):
    url = calendar_server.serve("/cal.ics", ics(vevent("a@example.org", soon())))
    feed = sync(feed_for(network, url, publish=True))
    imported_pages(feed).get().delete()

    calendar_server.serve("/cal.ics", ics(vevent("a@example.org", soon(), summary="Renamed")))
    feed = sync(feed)
    assert counts(feed) == (0, 0, 0, 1)
    assert EventPage.objects.count() == 0
    calendar_server.serve("/cal.ics", ics())
    assert counts(sync(feed)) == (0, 0, 0, 0)
