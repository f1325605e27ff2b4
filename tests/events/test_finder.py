import datetime as dt
import re
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.factories import RsvpFactory
from events.forms import EventFilterForm
from events.models import AccessFeature, EventFormat, EventPage, EventType, RsvpStatus
from hub.factories import TopicFactory
from hub.models import Region

from .conftest import bulk_create_events, london

# A Wednesday in October: "this week" runs to Sunday the 18th, "this month" to the 31st,
# and the clocks go back on the 25th.
NOW = london(2026, 10, 14, 12, 0)


@pytest.fixture
def finder_events(make_event, make_network):
    north_west = Region.objects.get(slug="north-west")
    london_region = Region.objects.get(slug="london")
    wales = Region.objects.get(slug="wales")
    network_a = make_network(title="Alpha Nurses", slug="alpha")
    network_b = make_network(title="Beta Counsellors", slug="beta")
    therapy = TopicFactory(name="Therapy", slug="therapy")
    pay = TopicFactory(name="Pay", slug="pay")

    def event(key, start, **fields):
        return key, make_event(title=f"Event {key}", start=start, end=start + dt.timedelta(hours=2),
                               **fields)  # fmt: skip

    events = dict(
        [
            event("a", london(2026, 10, 15, 18), event_type=EventType.WORKERS_CAFE,
                  town="Manchester", region=north_west, parent=network_a, topics=[therapy]),
            event("b", london(2026, 10, 17, 14), event_type=EventType.DEBATE,
                  format=EventFormat.HYBRID, town="London", region=london_region,
                  parent=network_b, co_organisers=[network_a], topics=[pay]),
            event("c", london(2026, 10, 24, 10), event_type=EventType.TRAINING,
                  format=EventFormat.ONLINE, town="", venue="", topics=[therapy]),
            event("d", london(2026, 11, 5, 10), event_type=EventType.RETREAT, town="Cardiff",
                  region=wales, parent=network_b, topics=[pay]),
            event("e", london(2026, 9, 30, 18), event_type=EventType.DEBATE, town="Salford",
                  region=north_west, parent=network_a),
            event("f", london(2026, 10, 26, 19), event_type=EventType.WORKERS_CAFE,
                  format=EventFormat.ONLINE, town="", parent=network_b),
            event("draft", london(2026, 10, 16, 18), live=False),
        ]
    )  # fmt: skip
    return events


def found(params: dict) -> list[str]:
    form = EventFilterForm(params)
    events = form.filter_events(EventPage.objects.for_listing(), now=NOW)
    return [event.title.removeprefix("Event ") for event in events]


CASES = [
    ({}, ["a", "b", "c", "f", "d"]),
    ({"when": "this-week"}, ["a", "b"]),
    ({"when": "this-month"}, ["a", "b", "c", "f"]),
    ({"when": "past"}, ["e"]),
    ({"date_from": "2026-10-20", "date_to": "2026-10-31"}, ["c", "f"]),
    ({"date_from": "2026-10-24"}, ["c", "f", "d"]),
    ({"date_to": "2026-10-24"}, ["a", "b", "c"]),
    ({"type": "debate"}, ["b"]),
    # A hybrid event can be joined either way: found by both.
    ({"format": "online"}, ["b", "c", "f"]),
    ({"format": "in-person"}, ["a", "b", "d"]),
    ({"format": "hybrid"}, ["b"]),
    ({"region": "north-west"}, ["a"]),
    ({"network": "alpha"}, ["a", "b"]),
    ({"network": "beta"}, ["b", "f", "d"]),
    ({"topic": "therapy"}, ["a", "c"]),
    ({"q": "manchester"}, ["a"]),
    ({"q": "beta counsellors"}, ["b", "f", "d"]),
    # Combined
    ({"type": "workers-cafe", "network": "beta"}, ["f"]),
    ({"network": "alpha", "topic": "pay"}, ["b"]),
    ({"when": "this-month", "format": "online", "topic": "therapy"}, ["c"]),
    ({"when": "this-month", "region": "wales"}, []),
    ({"when": "past", "network": "alpha", "type": "debate"}, ["e"]),
    ({"when": "past", "network": "beta"}, []),
    ({"date_from": "2026-10-16", "type": "workers-cafe", "format": "online"}, ["f"]),
    ({"q": "event", "region": "london", "network": "alpha", "topic": "pay"}, ["b"]),
]


@pytest.mark.postgres
@pytest.mark.parametrize(("params", "expected"), CASES)
def test_each_filter_alone_and_combined(finder_events, params, expected):
    assert found(params) == expected


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "nope"}, ["a", "b", "c", "f", "d"]),
        ({"region": "atlantis", "format": "online"}, ["b", "c", "f"]),
        ({"date_from": "2026-13-45", "date_to": "2026-10-20"}, ["a", "b"]),
        ({"date_from": "2026-10-20", "date_to": "2026-10-01"}, ["c", "f", "d"]),
        ({"when": "someday", "network": "no-such"}, ["a", "b", "c", "f", "d"]),
        ({"q": "x" * 5000, "topic": "therapy"}, ["a", "c"]),
    ],
)
def test_invalid_values_are_left_out_and_the_rest_still_apply(finder_events, params, expected):
    assert found(params) == expected
    assert EventFilterForm(params).ignored(), "the page says what it ignored"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"page": "-1"}, {"page": "abc"}, {"page": "0"}, {"page": "99999"}, {"page": "1.5"},
        {"date_from": "not-a-date"}, {"date_from": "99999-01-01"}, {"date_to": "2026-02-30"},
        {"type": ["debate", "nope"]}, {"region": "'; drop table"}, {"network": "\x00"},
        {"topic": "<script>alert(1)</script>"}, {"when": "past", "page": "-5"},
        {"q": "<script>alert(1)</script>"},
    ],
)  # fmt: skip
def test_the_finder_never_fails_on_odd_input(client, make_event, params):
    make_event(title="Only event")
    response = client.get("/events/", params)
    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content
    feed = client.get("/events/calendar.ics", params)
    assert feed.status_code == 200


@pytest.mark.django_db
def test_an_ignored_filter_is_explained(client, make_event):
    make_event()
    html = client.get("/events/", {"type": "nope", "date_from": "tomorrow"}).content.decode()
    assert "We could not use some of your filters" in html
    assert "Type:" in html and "From:" in html


@pytest.mark.django_db
def test_results_are_grouped_by_day_with_a_count(client, make_event):
    day = timezone.localdate() + dt.timedelta(days=3)
    for hour in (10, 14):
        make_event(
            start=dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_default_timezone())
        )
    make_event(start=timezone.now() + dt.timedelta(days=10))
    html = client.get("/events/").content.decode()
    assert "3 events." in html
    assert html.count('class="event-day"') == 2
    assert f'id="day-{day:%Y-%m-%d}"' in html


@pytest.mark.django_db
def test_pagination_keeps_the_filters_in_shareable_links(client, make_event):
    for number in range(25):
        make_event(title=f"Cafe {number}", event_type=EventType.WORKERS_CAFE,
                   start=timezone.now() + dt.timedelta(days=1, hours=number))  # fmt: skip
    make_event(title="A debate", event_type=EventType.DEBATE)
    first = client.get("/events/", {"type": "workers-cafe"}).content.decode()
    assert "25 events match your filters." in first
    assert "?type=workers-cafe&amp;page=2" in first
    second = client.get("/events/", {"type": "workers-cafe", "page": "2"}).content.decode()
    assert second.count('<article class="event-item') == 5
    assert "A debate" not in second


@pytest.mark.django_db
def test_an_empty_result_says_so(client, event_index):
    html = client.get("/events/", {"type": "retreat"}).content.decode()
    assert "No upcoming events match." in html
    assert "0 events match your filters." in html


@pytest.mark.django_db
def test_past_events_have_an_archive(client, make_event):
    make_event(title="Last year's cafe", start=timezone.now() - dt.timedelta(days=300))
    make_event(title="Next week's cafe")
    upcoming = client.get("/events/").content.decode()
    archive = client.get("/events/", {"when": "past"}).content.decode()
    assert "Next week&#x27;s cafe" in upcoming and "Last year" not in upcoming
    assert "Last year&#x27;s cafe" in archive and "Next week" not in archive
    assert "<h1>Past events</h1>" in archive


@pytest.mark.django_db
@pytest.mark.parametrize("when", ["", "this-month", "past"])
def test_cancelled_events_are_neither_listed_nor_counted(client, make_event, when):
    start = timezone.now() + dt.timedelta(days=-3 if when == "past" else 1)
    make_event(title="Called off", cancelled=True, start=start)
    make_event(title="Going ahead", start=start)
    html = client.get("/events/", {"when": when}).content.decode()
    assert "Called off" not in html
    assert "Going ahead" in html
    assert re.search(r"\b1 (past )?event( matches your filters)?\.", html), "counted once"


@pytest.mark.django_db
def test_a_cancelled_event_stays_in_the_calendar_feed_marked_cancelled(client, make_event):
    make_event(title="Called off", cancelled=True)
    feed = client.get("/events/calendar.ics").content.decode()
    assert "SUMMARY:Cancelled: Called off" in feed
    assert "STATUS:CANCELLED" in feed


@pytest.mark.django_db
def test_cards_show_the_places_of_each_way_of_coming(client, make_event):
    start = timezone.now() + dt.timedelta(days=1)
    hybrid = make_event(title="Hybrid", format=EventFormat.HYBRID, start=start,
                        end=start + dt.timedelta(hours=1), in_person_capacity=2,
                        online_capacity=1)  # fmt: skip
    RsvpFactory(event=hybrid, attendance="in-person")
    RsvpFactory(event=hybrid, attendance="in-person", status=RsvpStatus.WAITING)
    RsvpFactory(event=hybrid, attendance="online", status=RsvpStatus.OFFERED)
    room = make_event(title="Room", in_person_capacity=1, start=start + dt.timedelta(hours=2),
                      end=start + dt.timedelta(hours=3))  # fmt: skip
    RsvpFactory(event=room)
    make_event(title="Open", format=EventFormat.HYBRID, online_capacity=50,
               start=start + dt.timedelta(hours=4), end=start + dt.timedelta(hours=5))  # fmt: skip
    cards = re.findall(
        r'<p class="event-item__places">([^<]*)</p>', client.get("/events/").content.decode()
    )
    assert cards == [
        "In person: 1 of 2 taken · Online: full, waiting list open",
        "Full: waiting list open",
        "In person: no limit · Online: 0 of 50 taken",
    ]


def finder_queries(client, params=None, *, shown=20) -> int:
    client.get("/events/", params)  # warm Wagtail's site and settings caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/events/", params)
    assert response.status_code == 200
    assert response.content.decode().count('<article class="event-item') == shown
    return len(queries)


@pytest.mark.postgres
def test_the_finder_query_count_is_flat_from_20_to_2000_events(
    client, make_event, make_network, event_index, monkeypatch
):
    # Counted as rendered: the anonymous page cache would answer the second visit unrendered.
    monkeypatch.setattr("hub.pagecache._anonymous", lambda request: False)
    network = make_network()
    topic = TopicFactory()
    start = timezone.now() + dt.timedelta(days=1)
    features = list(AccessFeature.objects.all()[:5])
    for number in range(20):
        event = make_event(title=f"Event {number}", start=start + dt.timedelta(minutes=number),
                           parent=network if number % 2 else event_index, topics=[topic],
                           region=Region.objects.first())  # fmt: skip
        event.access_features.set(features[: number % 6])
        event.save()
    with_20 = finder_queries(client)
    by_access = {"access": [feature.slug for feature in features[:2]]}
    with_20_by_access = finder_queries(client, by_access, shown=12)

    began = time.monotonic()
    bulk_create_events(event_index, 1980, start=start + dt.timedelta(days=1))
    assert EventPage.objects.live().count() == 2000
    through = EventPage.access_features.through
    through.objects.bulk_create(
        through(eventpage_id=pk, accessfeature_id=feature.pk)
        for pk in EventPage.objects.filter(title__startswith="Bulk").values_list("pk", flat=True)
        for feature in features
    )
    assert time.monotonic() - began < 30

    with_2000 = finder_queries(client)
    assert with_20 == with_2000, f"{with_20} queries for 20 events, {with_2000} for 2,000"
    filtered = client.get("/events/", {"topic": topic.slug, "network": network.slug})
    assert "10 events match your filters." in filtered.content.decode()
    assert finder_queries(client, by_access) == with_20_by_access
    assert "1992 events match your filters." in client.get("/events/", by_access).content.decode()
