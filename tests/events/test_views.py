import json
import re

import pytest
from django.core import mail

from events.models import Booking, EventFormat, Rsvp, RsvpStatus
from hub.factories import UserFactory

from .conftest import london

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
    event = make_event(capacity=10)
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


def test_cancel_link_asks_then_cancels_and_promotes(client, make_event, on_commit):
    event = make_event(capacity=1)
    for email in ("first@example.org", "second@example.org"):
        on_commit(client.post, f"/event-links/{event.pk}/rsvp/", {"name": "X", "email": email})
        on_commit(client.post, link(mail.outbox[-1], "confirm"))
    assert mail.outbox[-1].subject.startswith("Waiting list")
    cancel = link(mail.outbox[1], "cancel")
    assert "Cancel my reply" in client.get(cancel).content.decode()
    assert Rsvp.objects.get(email="first@example.org").status == RsvpStatus.CONFIRMED
    on_commit(client.post, cancel)
    assert Rsvp.objects.get(email="first@example.org").status == RsvpStatus.CANCELLED
    assert Rsvp.objects.get(email="second@example.org").status == RsvpStatus.CONFIRMED
    assert mail.outbox[-1].to == ["second@example.org"]
    assert "A place came up" in mail.outbox[-1].subject


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
