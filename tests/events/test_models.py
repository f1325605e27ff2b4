import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from events.models import Booking, EventFormat, EventIndexPage, EventPage
from hub.factories import UserFactory
from hub.models import HomePage
from networks.models import NetworkPage

pytestmark = pytest.mark.django_db


def test_page_tree_rules(event_index, make_network):
    assert EventIndexPage.max_count == 1
    assert not EventIndexPage.can_create_at(HomePage.objects.get())
    assert EventPage.can_create_at(event_index)
    assert EventPage.can_create_at(make_network())
    assert "events.EventPage" in NetworkPage.subpage_types


def test_events_under_a_network_always_belong_to_it(make_event, make_network):
    ours, other = make_network(), make_network()
    event = make_event(parent=ours, organising_network=other)
    event.refresh_from_db()
    assert event.organising_network == ours
    hub_wide = make_event(organising_network=other)
    assert hub_wide.organising_network == other


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"end_before_start": True}, "end"),
        ({"booking": Booking.EXTERNAL}, "booking_url"),
        ({"booking": Booking.RSVP, "booking_url": "https://example.org/"}, "booking_url"),
        ({"format": EventFormat.ONLINE, "online_url": ""}, "online_url"),
        ({"online_capacity": 10}, "online_capacity"),
        (
            {
                "format": EventFormat.ONLINE,
                "online_url": "https://meet.example.org/x",
                "in_person_capacity": 10,
            },
            "in_person_capacity",
        ),  # fmt: skip
    ],
)
def test_validation(make_event, fields, field):
    event = make_event()
    if fields.pop("end_before_start", False):
        event.end = event.start - dt.timedelta(hours=1)
    for name, value in fields.items():
        setattr(event, name, value)
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert field in error.value.message_dict


def test_a_hybrid_event_may_limit_both_ways_of_coming(make_event):
    event = make_event(format=EventFormat.HYBRID, in_person_capacity=10, online_capacity=0)
    event.full_clean()
    assert [(p.attendance, p.capacity, p.left) for p in event.places_now()] == [
        ("in-person", 10, 10), ("online", 0, 0)
    ]  # fmt: skip


def test_moderators_add_an_event_in_the_wagtail_admin(client, event_index):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("wagtailadmin_pages:add", args=["events", "eventpage", event_index.pk])
    assert client.get(url).status_code == 200
    start = timezone.localtime() + dt.timedelta(days=2)
    response = client.post(url, {
        "title": "Added in the admin", "slug": "added-in-the-admin",
        "start": start.strftime("%Y-%m-%d %H:%M"),
        "end": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"),
        "event_type": "debate", "format": "in-person", "town": "York", "booking": "rsvp",
        "description-count": "0", "action-publish": "publish",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[-3000:]
    event = EventPage.objects.get(slug="added-in-the-admin")
    assert event.live and event.town == "York"
    assert client.get(event.url).status_code == 200
