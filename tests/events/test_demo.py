import io

import pytest
from django.core.management import call_command
from django.db.models import Count

from events.demo import HYBRID_EVENT
from events.models import EventIndexPage, EventPage, EventType, Rsvp


def seed():
    call_command("seed_demo", stdout=io.StringIO())


def counts():
    return EventPage.objects.count(), EventIndexPage.objects.count()


@pytest.mark.django_db
def test_demo_events_are_idempotent_and_varied(client):
    seed()
    first = counts()
    seed()
    assert counts() == first
    events = EventPage.objects.live()
    assert events.count() >= 30
    assert events.upcoming().count() >= 30
    assert {e.format for e in events} == {"in-person", "online", "hybrid"}
    assert {e.event_type for e in events} >= {EventType.WORKERS_CAFE, EventType.DEBATE,
                                              EventType.TRAINING, EventType.RETREAT}  # fmt: skip
    assert events.exclude(region=None).values("region").distinct().count() >= 10
    assert client.get("/events/").status_code == 200


@pytest.mark.django_db
def test_demo_events_go_under_live_networks_when_there_are_some(make_network):
    networks = [make_network(title=f"Network {n}") for n in range(3)]
    seed()
    for network in networks:
        assert EventPage.objects.child_of(network).exists()
        assert EventPage.objects.filter(organising_network=network).exists()
    assert not EventPage.objects.child_of(EventIndexPage.objects.get()).exists()


@pytest.mark.django_db
def test_the_demo_has_a_peer_group_whose_address_is_for_people_with_a_place(client):
    seed()
    seed()
    (group,) = EventPage.objects.live().filter(address_private=True)
    assert group.organising_network.kind == "peer-support"
    html = client.get(group.url).content.decode()
    assert "Plymouth" in html and "The full address is emailed to people with a place." in html
    assert group.venue not in html and "Looe Street" not in html and group.postcode not in html
    assert group.venue in group.attendee_location.text


@pytest.mark.django_db
def test_the_demo_has_a_hybrid_event_with_both_lists_in_use(client):
    seed()
    seed()
    event = EventPage.objects.get(slug=HYBRID_EVENT)
    assert event.format == "hybrid"
    lists = {
        (row["attendance"], row["status"]): row["count"]
        for row in Rsvp.objects.filter(event=event)
        .values("attendance", "status")
        .annotate(count=Count("pk"))
    }
    assert lists == {
        ("in-person", "confirmed"): 3, ("in-person", "waiting"): 2,
        ("online", "confirmed"): 2, ("online", "waiting"): 1,
    }  # fmt: skip
    assert (event.in_person_capacity, event.online_capacity) == (3, 2)
    page = client.get(event.url).content.decode()
    assert "In person: all 3 places taken, waiting list open" in page
    assert "Online: all 2 places taken, waiting list open" in page
