import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from events.models import EventFormat, EventType

from .conftest import london

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def vevents(calendar: Calendar) -> dict[str, object]:
    return {str(item["summary"]): item for item in calendar.walk("VEVENT")}


def clocks_go_back(after: dt.date) -> dt.date:
    """The next last Sunday of October: British Summer Time ends at 02:00 that morning."""
    year = after.year
    while True:
        day = dt.date(year, 10, 31)
        day -= dt.timedelta(days=(day.weekday() + 1) % 7)
        if day > after:
            return day
        year += 1


# Upcoming, so that every feed lists them: the Saturday before and the Monday after.
CHANGE = clocks_go_back(dt.date.today())
SATURDAY, MONDAY = CHANGE - dt.timedelta(days=1), CHANGE + dt.timedelta(days=1)


def at(day: dt.date, hour: int) -> dt.datetime:
    return london(day.year, day.month, day.day, hour)


def test_the_clock_change_dates_are_right():
    assert clocks_go_back(dt.date(2026, 1, 1)) == dt.date(2026, 10, 25)
    assert clocks_go_back(dt.date(2026, 10, 25)) == dt.date(2027, 10, 31)
    assert at(SATURDAY, 19).utcoffset() == dt.timedelta(hours=1)
    assert at(MONDAY, 19).utcoffset() == dt.timedelta(0)


@pytest.fixture
def bst_events(make_event, make_network):
    network = make_network(title="Night Shift", slug="night-shift")
    before = make_event(
        title="Before",
        start=at(SATURDAY, 19),
        end=at(SATURDAY, 21),
        parent=network,
        venue="The Hall",
        town="Leeds",
        postcode="LS1 1AA",
    )
    after = make_event(
        title="After",
        start=at(MONDAY, 19),
        end=at(MONDAY, 21),
        parent=network,
        format=EventFormat.ONLINE,
        venue="",
        town="",
    )
    return network, before, after  # fmt: skip


def utc(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def assert_bst_round_trip(items):
    before, after = items["Before"], items["After"]
    start_before, start_after = before["dtstart"].dt, after["dtstart"].dt
    # Both 19:00 on the wall clock in London ...
    assert (start_before.hour, start_after.hour) == (19, 19)
    assert start_before.tzinfo is not None and start_after.tzinfo is not None
    # ... which is 18:00 UTC in summer time and 19:00 UTC after the change.
    assert start_before.astimezone(UTC) == utc(SATURDAY, 18)
    assert start_after.astimezone(UTC) == utc(MONDAY, 19)
    assert before["dtend"].dt.astimezone(UTC) == utc(SATURDAY, 20)


def test_each_event_downloads_as_ics_with_times_right_across_the_clock_change(client, bst_events):
    _, before, after = bst_events
    items = {}
    for event in (before, after):
        response = client.get(f"/event-links/event-{event.pk}.ics")
        assert response["Content-Disposition"].startswith("attachment;")
        calendar = parse(response)
        items.update(vevents(calendar))
        timezones = calendar.walk("VTIMEZONE")
        assert [str(tz["tzid"]) for tz in timezones] == ["Europe/London"]
        assert b"DTSTART;TZID=Europe/London:" in response.content
    assert_bst_round_trip(items)


def test_the_finder_feed_honours_its_filters_and_round_trips(client, bst_events, make_event):
    make_event(title="Debate elsewhere", event_type=EventType.DEBATE,
               start=at(CHANGE, 12), end=at(CHANGE, 14))  # fmt: skip
    everything = vevents(parse(client.get("/events/calendar.ics")))
    assert {"Before", "After", "Debate elsewhere"} <= set(everything)
    assert_bst_round_trip(everything)
    online = vevents(parse(client.get("/events/calendar.ics", {"format": "online"})))
    assert set(online) == {"After"}
    debates = vevents(parse(client.get("/events/calendar.ics", {"type": "debate"})))
    assert set(debates) == {"Debate elsewhere"}


def test_each_network_has_a_feed(client, bst_events, make_event, make_network):
    network, _, _ = bst_events
    other = make_network(title="Other network")
    make_event(title="Theirs", parent=other)
    make_event(title="Co-organised", co_organisers=[network])
    items = vevents(parse(client.get(f"/event-links/networks/{network.slug}.ics")))
    assert set(items) == {"Before", "After", "Co-organised"}
    assert_bst_round_trip(items)
    assert client.get("/event-links/networks/no-such-network.ics").status_code == 404


def test_feed_entries_carry_uid_dtstamp_and_location_or_url(client, bst_events):
    _, before, after = bst_events
    items = vevents(parse(client.get("/events/calendar.ics")))
    for item in items.values():
        assert str(item["uid"]).startswith("event-") and "@" in str(item["uid"])
        assert item["dtstamp"].dt.tzinfo is not None
        assert str(item["url"]).startswith("http://testserver/networks/night-shift/")
        assert str(item["status"]) == "CONFIRMED"
    assert str(items["Before"]["location"]) == "The Hall, Leeds, LS1 1AA"
    assert str(items["After"]["location"]) == "Online"
    # The UID is stable: renaming and republishing the event leaves it as it was.
    first_uid = str(items["Before"]["uid"])
    before.title = "Renamed"
    before.save_revision().publish()
    renamed = vevents(parse(client.get(f"/event-links/event-{before.pk}.ics")))
    assert str(renamed["Renamed"]["uid"]) == first_uid


def test_a_cancelled_event_is_marked_cancelled(client, make_event):
    event = make_event(title="Off", cancelled=True)
    for url in (f"/event-links/event-{event.pk}.ics", "/events/calendar.ics"):
        (item,) = parse(client.get(url)).walk("VEVENT")
        assert str(item["status"]) == "CANCELLED"


def test_the_hidden_joining_link_stays_out_of_the_calendar(client, make_event):
    hidden = make_event(format=EventFormat.ONLINE, online_url="https://meet.example.org/secret")
    shown = make_event(format=EventFormat.ONLINE, online_url="https://meet.example.org/open",
                       online_url_public=True)  # fmt: skip
    assert b"secret" not in client.get(f"/event-links/event-{hidden.pk}.ics").content
    assert b"meet.example.org/open" in client.get(f"/event-links/event-{shown.pk}.ics").content


def test_unpublished_events_have_no_ics(client, make_event):
    draft = make_event(live=False)
    assert client.get(f"/event-links/event-{draft.pk}.ics").status_code == 404


def test_pages_announce_their_calendars_and_every_announced_one_parses(client, bst_events):
    network, before, _ = bst_events
    pages = [before.url, "/events/", "/events/?format=online&type=nope"]
    announced = set()
    for url in pages:
        html = client.get(url).content.decode()
        links = re.findall(r'<link rel="alternate" type="text/calendar"[^>]*href="([^"]+)"', html)
        assert links, url
        announced.update(link.replace("&amp;", "&") for link in links)
    assert f"/event-links/networks/{network.slug}.ics" in announced
    assert "/events/calendar.ics?format=online" in announced, "ignored filters are left out"
    for link in announced:
        parse(client.get(link))


def test_add_to_calendar_links(client, bst_events):
    _, before, _ = bst_events
    html = client.get(before.url).content.decode()
    google = re.search(r'href="(https://calendar\.google\.com/[^"]+)"', html).group(1)
    query = parse_qs(urlsplit(google.replace("&amp;", "&")).query)
    assert query["dates"] == [f"{SATURDAY:%Y%m%d}T180000Z/{SATURDAY:%Y%m%d}T200000Z"]
    assert query["text"] == ["Before"]
    outlook = re.search(r'href="(https://outlook\.live\.com/[^"]+)"', html).group(1)
    query = parse_qs(urlsplit(outlook.replace("&amp;", "&")).query)
    assert dt.datetime.fromisoformat(query["startdt"][0]) == at(SATURDAY, 19)


def feed_queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        parse(client.get(url))
    return len(queries)


def test_feeds_take_the_same_queries_for_few_and_many_events(client, make_network, make_event):
    network = make_network(slug="busy")
    make_event(parent=network, format=EventFormat.ONLINE)
    urls = ["/events/calendar.ics", "/event-links/networks/busy.ics"]
    few = [feed_queries(client, url) for url in urls]
    for _ in range(15):
        make_event(parent=network)
    assert [feed_queries(client, url) for url in urls] == few


def test_network_pages_can_announce_their_feed(client, make_network):
    network = make_network(slug="announced")
    html = Template(
        '{% load events_tags %}<link rel="alternate" type="text/calendar" '
        'href="{% network_calendar_url network %}">'
    ).render(Context({"network": network}))
    assert 'href="/event-links/networks/announced.ics"' in html
    parse(client.get("/event-links/networks/announced.ics"))
