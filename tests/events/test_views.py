import datetime as dt
import json
import re

import pytest
from django.core import mail
from django.utils import timezone

from events.factories import RsvpFactory
from events.models import LONDON, Booking, EventFormat, Rsvp, RsvpStatus
from hub.factories import UserFactory

from .conftest import ONLINE, london

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Requests in tests share the test's transaction: run what they queue on commit."""

    def run(request, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return request(*args, **kwargs)

    return run


def link(message, action: str) -> str:
    return re.search(
        rf"http://testserver(/event-links/rsvp/[^/\s]+/{action}/)", message.body
    ).group(1)


def test_rsvp_by_email_confirms_only_by_post(client, make_event, on_commit):
    event = make_event(in_person_capacity=10)
    response = on_commit(client.post, f"/event-links/{event.pk}/rsvp/",
                         {"name": "Ada", "email": "ada@example.org"})  # fmt: skip
    assert response.status_code == 302
    assert "Nearly done" in client.get(response.url).content.decode()
    confirm = link(mail.outbox[0], "confirm")

    page = client.get(confirm)
    assert page.status_code == 200
    assert "Confirm my reply" in page.content.decode()
    assert Rsvp.objects.get().status == RsvpStatus.PENDING, "a mail scanner's GET holds nothing"

    done = on_commit(client.post, confirm)
    assert "you have a place" in done.content.decode().lower()
    assert Rsvp.objects.get().status == RsvpStatus.CONFIRMED
    assert len(mail.outbox) == 2


def test_cancel_link_asks_then_cancels_and_the_place_is_held_for_the_next(
    client, make_event, on_commit
):
    event = make_event(in_person_capacity=1)
    for email in ("first@example.org", "second@example.org"):
        on_commit(client.post, f"/event-links/{event.pk}/rsvp/", {"name": "X", "email": email})
        on_commit(client.post, link(mail.outbox[-1], "confirm"))
    assert mail.outbox[-1].subject.startswith("Waiting list")
    cancel = link(mail.outbox[1], "cancel")
    assert "Cancel my reply" in client.get(cancel).content.decode()
    assert Rsvp.objects.get(email="first@example.org").status == RsvpStatus.CONFIRMED
    on_commit(client.post, cancel)
    assert Rsvp.objects.get(email="first@example.org").status == RsvpStatus.CANCELLED
    assert Rsvp.objects.get(email="second@example.org").status == RsvpStatus.OFFERED
    assert mail.outbox[-1].to == ["second@example.org"]
    assert "A place is held for you" in mail.outbox[-1].subject


def offer_made(make_event, on_commit, client, **fields):
    """An event with one place, and the email holding it for the second person to reply."""
    event = make_event(in_person_capacity=1, **fields)
    for email in ("first@example.org", "second@example.org"):
        on_commit(client.post, f"/event-links/{event.pk}/rsvp/", {"name": "Ada", "email": email})
        on_commit(client.post, link(mail.outbox[-1], "confirm"))
    on_commit(client.post, link(mail.outbox[1], "cancel"))
    return event, mail.outbox[-1]


def test_the_emailed_link_takes_a_held_place_only_by_post(client, make_event, on_commit):
    event, offer = offer_made(make_event, on_commit, client)
    take = link(offer, "take")
    held = Rsvp.objects.get(email="second@example.org")
    deadline = timezone.localtime(held.offer_expires_at, LONDON)

    page = client.get(take).content.decode()
    assert "Take the place" in page
    assert f"held for you until <strong>{deadline:%A} {deadline.day} {deadline:%B, %H:%M}" in page
    assert link(offer, "cancel") in page, "and a way to let it go"
    assert Rsvp.objects.get(pk=held.pk).status == RsvpStatus.OFFERED, (
        "a scanner's GET takes nothing"
    )

    done = on_commit(client.post, take).content.decode()
    assert "Thank you: you have a place." in done
    assert Rsvp.objects.get(pk=held.pk).status == RsvpStatus.CONFIRMED
    assert mail.outbox[-1].subject == f"You have a place: {event.title}"
    assert "You have a place." in client.get(take).content.decode()


def test_after_its_deadline_the_link_says_the_place_has_passed_on(client, make_event, on_commit):
    event, offer = offer_made(make_event, on_commit, client)
    Rsvp.objects.filter(status=RsvpStatus.OFFERED).update(
        offer_expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    take = link(offer, "take")
    assert "This place has passed on." in client.get(take).content.decode()
    assert Rsvp.objects.get(email="second@example.org").status == RsvpStatus.OFFERED, (
        "a GET writes nothing: the beat task lapses it"
    )
    sent = len(mail.outbox)
    page = on_commit(client.post, take).content.decode()
    assert "This place has passed on." in page and "Take the place" not in page
    assert Rsvp.objects.get(email="second@example.org").status == RsvpStatus.CANCELLED
    assert [m.subject for m in mail.outbox[sent:]] == [f"The place has passed on: {event.title}"]
    assert "This place has passed on." in client.get(take).content.decode()


def test_letting_a_held_place_go_from_the_link(client, make_event, on_commit):
    _, offer = offer_made(make_event, on_commit, client)
    cancel = link(offer, "cancel")
    assert "Let the place go" in client.get(cancel).content.decode()
    on_commit(client.post, cancel)
    held = Rsvp.objects.get(email="second@example.org")
    assert held.status == RsvpStatus.CANCELLED and not held.offer_lapsed
    assert "This reply was cancelled." in client.get(link(offer, "take")).content.decode()


def test_a_hybrid_event_asks_how_you_will_come_and_shows_each_list(client, make_event, on_commit):
    event = make_event(format=EventFormat.HYBRID, in_person_capacity=2, online_capacity=1)
    RsvpFactory(event=event, attendance="online")
    page = client.get(event.url).content.decode()
    assert "In person: 2 of 2 places left" in page
    assert "Online: all 1 place taken, waiting list open" in page
    assert "How will you come?" in page
    assert "In person (2 places left)" in page and "Online (full: join the waiting list)" in page

    response = client.post(f"/event-links/{event.pk}/rsvp/", {"name": "Ada", "email": "a@ex.org"})
    assert response.status_code == 400
    assert "Choose whether you will come in person or online." in response.content.decode()
    response = client.post(
        f"/event-links/{event.pk}/rsvp/", {"name": "A", "email": "a@ex.org", "attendance": "bus"}
    )
    assert response.status_code == 400
    on_commit(client.post, f"/event-links/{event.pk}/rsvp/",
              {"name": "Ada", "email": "ada@example.org", "attendance": "online"})  # fmt: skip
    on_commit(client.post, link(mail.outbox[-1], "confirm"))
    ada = Rsvp.objects.get(email="ada@example.org")
    assert (ada.attendance, ada.status) == ("online", RsvpStatus.WAITING)
    assert "The online places at" in mail.outbox[-1].body


def test_a_member_chooses_too_and_sees_their_reply_and_how_they_come(client, make_event, on_commit):
    event = make_event(format=EventFormat.HYBRID, in_person_capacity=1, online_capacity=5)
    client.force_login(UserFactory())
    page = client.get(event.url).content.decode()
    assert 'name="attendance"' in page and 'name="email"' not in page
    assert client.post(f"/event-links/{event.pk}/rsvp/").status_code == 400
    on_commit(client.post, f"/event-links/{event.pk}/rsvp/", {"attendance": "in-person"})
    page = client.get(event.url).content.decode()
    assert "You have an in-person place." in page
    assert "In person: all 1 place taken, waiting list open" in page
    assert ONLINE not in page, "the joining link is for online places"

    client.force_login(UserFactory())
    on_commit(client.post, f"/event-links/{event.pk}/rsvp/", {"attendance": "in-person"})
    assert "You are on the in-person waiting list." in client.get(event.url).content.decode()
    Rsvp.objects.filter(status=RsvpStatus.WAITING).update(
        status=RsvpStatus.OFFERED, offer_expires_at=london(2031, 7, 1, 18)
    )
    page = client.get(event.url).content.decode()
    assert "A place in person is held for you until Tuesday 1 July, 18:00 (UK time)." in page
    assert "Take the place" in page and "Let the place go" in page


def test_an_event_with_one_way_of_coming_asks_nothing(client, make_event):
    event = make_event(in_person_capacity=3)
    page = client.get(event.url).content.decode()
    assert "How will you come?" not in page and 'name="attendance"' not in page
    assert "3 of 3 places left." in page


def test_signed_in_member_replies_in_one_click(client, make_event, on_commit):
    event = make_event(format=EventFormat.ONLINE, online_url="https://meet.example.org/s3cret")
    member = UserFactory()
    client.force_login(member)
    page = client.get(event.url).content.decode()
    assert "I'm coming" in page and 'name="email"' not in page
    assert "meet.example.org/s3cret" not in page
    response = on_commit(client.post, f"/event-links/{event.pk}/rsvp/")
    assert response.status_code == 302
    assert Rsvp.objects.get().user == member
    page = client.get(event.url).content.decode()
    assert "You have a place" in page
    assert "meet.example.org/s3cret" in page, "people with a place see the joining link"


def test_the_joining_link_is_public_only_when_the_organiser_chose(client, make_event):
    hidden = make_event(format=EventFormat.HYBRID, online_url="https://meet.example.org/hidden")
    shown = make_event(format=EventFormat.HYBRID, online_url="https://meet.example.org/shown",
                       online_url_public=True)  # fmt: skip
    assert "meet.example.org/hidden" not in client.get(hidden.url).content.decode()
    assert "meet.example.org/shown" in client.get(shown.url).content.decode()


def test_an_invalid_reply_is_shown_again_with_errors(client, make_event):
    event = make_event()
    response = client.post(f"/event-links/{event.pk}/rsvp/", {"name": "", "email": "not-an-email"})
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert not Rsvp.objects.exists()


def test_public_replies_are_rate_limited(client, make_event, on_commit):
    event = make_event()
    codes = [
        on_commit(client.post, f"/event-links/{event.pk}/rsvp/",
                  {"name": "Spam", "email": f"s{n}@example.org"}).status_code
        for n in range(7)
    ]  # fmt: skip
    assert codes == [302] * 5 + [429] * 2
    assert Rsvp.objects.count() == 5


@pytest.mark.parametrize(
    "fields",
    [
        {"cancelled": True},
        {"booking": Booking.EXTERNAL, "booking_url": "https://tickets.example.org/x"},
        {"booking": Booking.NONE},
    ],
)
def test_events_that_take_no_rsvp_refuse_one(client, make_event, fields):
    event = make_event(**fields)
    response = client.post(
        f"/event-links/{event.pk}/rsvp/", {"name": "A", "email": "a@example.org"}
    )
    assert response.status_code == 302
    assert not Rsvp.objects.exists()


def test_unknown_tokens_are_not_found(client):
    assert client.get("/event-links/rsvp/nope/confirm/").status_code == 404
    assert client.post("/event-links/rsvp/nope/cancel/").status_code == 404


def test_event_page_has_schema_org_json_ld(client, make_event, make_network):
    network = make_network(title="Nurses </script><script>alert(1)</script>")
    event = make_event(parent=network, format=EventFormat.HYBRID, cancelled=True,
                       online_url="https://meet.example.org/private", town="Leeds")  # fmt: skip
    html = client.get(event.url).content.decode()
    assert "<script>alert(1)" not in html
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(raw)
    assert data["@type"] == "Event"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    assert data["organizer"]["name"] == network.title
    place, online = data["location"]
    assert place["address"]["addressLocality"] == "Leeds"
    assert online["@type"] == "VirtualLocation"
    assert "private" not in raw, "a hidden joining link stays hidden"
    assert data["startDate"].endswith(("+00:00", "+01:00"))


def test_the_event_page_shows_uk_time(client, make_event):
    event = make_event(start=london(2031, 7, 1, 19), end=london(2031, 7, 1, 21))
    html = client.get(event.url).content.decode()
    assert "Tuesday 1 July 2031, 19:00" in html
    assert 'datetime="2031-07-01T19:00:00+01:00"' in html


def test_one_address_gets_few_emails_however_many_connections_ask(client, make_event, on_commit):
    event = make_event()
    codes = [
        on_commit(client.post, f"/event-links/{event.pk}/rsvp/",
                  {"name": "X", "email": "target@example.org"},
                  REMOTE_ADDR=f"10.0.0.{n}").status_code
        for n in range(5)
    ]  # fmt: skip
    assert codes == [302] * 3 + [429] * 2
    assert len(mail.outbox) == 3


@pytest.mark.parametrize(("attendance", "says_link"), [("in-person", False), ("online", True)])
def test_the_confirmed_page_mentions_the_joining_link_only_to_online_places(
    client, make_event, attendance, says_link
):
    event = make_event(format=EventFormat.HYBRID)
    rsvp = RsvpFactory(event=event, attendance=attendance, status=RsvpStatus.PENDING)
    html = client.post(f"/event-links/rsvp/{rsvp.token}/confirm/").content.decode()
    assert "have a place" in html
    assert ("including the joining link" in html) is says_link
