import csv
import datetime as dt
import io
import re
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from events.factories import RsvpFactory
from events.models import Rsvp, RsvpStatus
from hub.factories import UserFactory
from networks.factories import MembershipFactory
from networks.models import MembershipRole

pytestmark = pytest.mark.django_db

ATTENDEES = reverse("event_attendees:index")


def admin_user(*permissions: str):
    """A user who may enter the Wagtail admin, with any extra `app_label.codename`s."""
    group = Group.objects.create(name=f"group {Group.objects.count()}")
    for name in ("wagtailadmin.access_admin", *permissions):
        app_label, codename = name.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    user = UserFactory()
    user.groups.add(group)
    return user


@pytest.fixture
def two_networks_events(make_network, make_event):
    ours, theirs = make_network(title="Ours"), make_network(title="Theirs")
    our_event = make_event(title="Our cafe", parent=ours, in_person_capacity=12)
    their_event = make_event(title="Their debate", parent=theirs)
    RsvpFactory(event=our_event, name="Ada", email="ada@example.org")
    RsvpFactory(event=our_event, name="=HYPERLINK(1)", email="b@example.org",
                status=RsvpStatus.WAITING)  # fmt: skip
    RsvpFactory(event=our_event, name="Unconfirmed", status=RsvpStatus.PENDING)
    RsvpFactory(event=their_event, name="Grace", email="grace@example.org")
    return ours, our_event, their_event


def refused(response) -> bool:
    """Wagtail answers PermissionDenied with a redirect to the dashboard and a message."""
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def inspect_url(rsvp) -> str:
    return reverse("event_attendees:inspect", args=[rsvp.pk])


@pytest.mark.parametrize("role", [MembershipRole.ADMIN, MembershipRole.EDITOR])
def test_network_members_see_and_export_their_own_events_attendees_only(
    client, two_networks_events, role
):
    ours, our_event, their_event = two_networks_events
    member = admin_user()
    MembershipFactory(network=ours, user=member, role=role)
    client.force_login(member)

    listing = client.get(ATTENDEES).content.decode()
    assert "Our cafe" in listing and "ada@example.org" in listing
    assert "Their debate" not in listing and "Grace" not in listing
    assert "Unconfirmed" not in listing
    page = client.get(ATTENDEES, {"event": our_event.pk}).content.decode()
    assert "ada@example.org" in page and "Unconfirmed" not in page

    exported = rows(client.get(ATTENDEES, {"event": our_event.pk, "export": "csv"}))
    assert exported[0] == ["Name", "Email", "Status", "Attendance", "Event", "Replied",
                           "Place or queue since", "Place held until"]  # fmt: skip
    assert {row[1] for row in exported[1:]} == {"ada@example.org", "b@example.org"}
    assert ["'=HYPERLINK(1)", "b@example.org", "On the waiting list", "In person", "Our cafe"] in [
        row[:5] for row in exported
    ]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d[+-]\d\d:\d\d", exported[1][5])
    ada = our_event.rsvps.get(name="Ada")
    assert "ada@example.org" in client.get(inspect_url(ada)).content.decode()

    # Another network's event: not offered, not listed, not exported, not inspected.
    grace = their_event.rsvps.get()
    assert "Grace" not in client.get(ATTENDEES, {"event": their_event.pk}).content.decode()
    exported = rows(client.get(ATTENDEES, {"event": their_event.pk, "export": "csv"}))
    assert "grace@example.org" not in str(exported)
    assert client.get(inspect_url(grace)).status_code == 404
    unconfirmed = our_event.rsvps.get(status=RsvpStatus.PENDING)
    assert client.get(inspect_url(unconfirmed)).status_code == 404


def summary_rows(page: str) -> dict[str, list[str]]:
    """The per-event summary's table: attendance -> its cells."""
    start = page.index('id="event-summary-heading"')
    summary = page[start : page.index("</table>", start)]
    return {
        row[0]: row[1:]
        for row in (
            re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", tr)
            for tr in re.findall(r"<tr>(.*?)</tr>", summary)
        )
        if row and row[0] in ("In person", "Online")
    }


def test_one_event_s_attendees_come_with_its_places_taken_held_and_waiting(
    client, two_networks_events
):
    ours, our_event, _ = two_networks_events
    client.force_login(admin_user("events.view_rsvp"))
    page = client.get(ATTENDEES, {"event": our_event.pk}).content.decode()
    assert "Our cafe" in page
    # Places, confirmed, held, taken, waiting: an in-person event has one list.
    assert summary_rows(page) == {"In person": ["12", "1", "0", "1", "1"]}
    summary = page[page.index('id="event-summary-heading"') :]
    assert "Ada" in summary and "Grace" not in summary
    assert 'id="event-summary-heading"' not in client.get(ATTENDEES).content.decode()


@pytest.fixture
def hybrid(make_network, make_event):
    """A hybrid event of network "Ours" with one place in person (taken) and two online (one
    taken, one held), a queue for each, and another network's outsider."""
    ours, theirs = make_network(title="Ours"), make_network(title="Theirs")
    event = make_event(title="Hybrid AGM", parent=ours, format="hybrid",
                       in_person_capacity=1, online_capacity=2)  # fmt: skip
    people = {
        "room": RsvpFactory(event=event, name="Room", attendance="in-person"),
        "screen": RsvpFactory(event=event, name="Screen", attendance="online"),
        "held": RsvpFactory(event=event, name="Held", attendance="online",
                            status=RsvpStatus.OFFERED,
                            offer_expires_at=timezone.now() + dt.timedelta(hours=5)),
        "queue": RsvpFactory(event=event, name="Queue", attendance="in-person",
                             status=RsvpStatus.WAITING),
        "later": RsvpFactory(event=event, name="Later", attendance="online",
                             status=RsvpStatus.WAITING),
    }  # fmt: skip
    outsider = admin_user()
    MembershipFactory(network=theirs, user=outsider)
    return SimpleNamespace(event=event, network=ours, outsider=outsider, **people)


def test_both_lists_of_a_hybrid_event_are_shown_and_filtered(client, hybrid):
    client.force_login(admin_user("events.view_rsvp"))
    page = client.get(ATTENDEES, {"event": hybrid.event.pk}).content.decode()
    assert summary_rows(page) == {
        "In person": ["1", "1", "0", "1", "1"],
        "Online": ["2", "1", "1", "2", "1"],
    }
    assert "<th" in page and ">Attendance<" in page
    online = client.get(ATTENDEES, {"event": hybrid.event.pk, "attendance": "online"})
    assert "Screen" in online.content.decode() and "Queue" not in online.content.decode()
    exported = rows(client.get(ATTENDEES, {"attendance": "online", "export": "csv"}))
    assert {(row[0], row[3]) for row in exported[1:]} == {
        ("Screen", "Online"), ("Held", "Online"), ("Later", "Online")
    }  # fmt: skip
    exported = rows(client.get(ATTENDEES, {"attendance": "online", "status": "waiting",
                                           "export": "csv"}))  # fmt: skip
    assert [row[0] for row in exported[1:]] == ["Later"]


def move_url(rsvp) -> str:
    return reverse("event_attendees:move", args=[rsvp.pk])


def test_an_organiser_moves_someone_into_a_free_place_or_the_end_of_the_queue(
    client, hybrid, django_capture_on_commit_callbacks
):
    organiser = admin_user()
    MembershipFactory(network=hybrid.network, user=organiser, role=MembershipRole.EDITOR)
    client.force_login(organiser)
    inspect = client.get(inspect_url(hybrid.room)).content.decode()
    assert "Move to online" in inspect and "Move to in person" not in inspect

    # Online is full (one confirmed, one held): the room's person joins the end of its queue,
    # and the place they leave is held for the head of the in-person queue.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(move_url(hybrid.room), {"attendance": "online"})
    assert response.status_code == 302 and response.url == inspect_url(hybrid.room)
    room, queue = (Rsvp.objects.get(pk=r.pk) for r in (hybrid.room, hybrid.queue))
    assert (room.attendance, room.status) == ("online", RsvpStatus.WAITING)
    assert room.queued_at > Rsvp.objects.get(pk=hybrid.later.pk).queued_at, "the end of the list"
    assert (queue.attendance, queue.status) == ("in-person", RsvpStatus.OFFERED)
    told = {message.to[0]: message for message in mail.outbox}
    assert "moved your reply to online" in told[room.email].body
    assert "waiting list" in told[room.email].body
    assert "A place is held for you" in told[queue.email].subject

    # Someone confirmed online moved into the room, now free again once the held place goes.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("events:rsvp_cancel", args=[queue.token]))
        client.post(move_url(hybrid.screen), {"attendance": "in-person"})
    screen = Rsvp.objects.get(pk=hybrid.screen.pk)
    assert (screen.attendance, screen.status) == ("in-person", RsvpStatus.CONFIRMED)
    # Their online place is held for the first online waiter, the room's person no longer.
    assert Rsvp.objects.get(pk=hybrid.later.pk).status == RsvpStatus.OFFERED
    for attendance, capacity in (("in-person", 1), ("online", 2)):
        held = Rsvp.objects.filter(event=hybrid.event, attendance=attendance,
                                   status__in=["confirmed", "offered"])  # fmt: skip
        assert held.count() <= capacity


def test_a_move_to_a_way_the_event_does_not_offer_is_refused(client, hybrid, make_event):
    client.force_login(admin_user("events.view_rsvp"))
    ada = RsvpFactory(event=make_event(parent=hybrid.network, in_person_capacity=5), name="Ada")
    response = client.post(move_url(ada), {"attendance": "online"}, follow=True)
    assert "Choose in person or online, as the event offers." in response.content.decode()
    assert Rsvp.objects.get(pk=ada.pk).attendance == "in-person"
    response = client.post(move_url(hybrid.room), {"attendance": "by carrier pigeon"})
    assert response.status_code == 302
    assert Rsvp.objects.get(pk=hybrid.room.pk).attendance == "in-person"
    assert client.get(move_url(hybrid.room)).status_code == 405, "a move is a POST"
    assert not mail.outbox


def test_only_those_who_see_the_attendees_can_move_them(client, hybrid):
    url = move_url(hybrid.room)
    assert client.post(url, {"attendance": "online"}).url.startswith(
        reverse("wagtailadmin_login")
    ), "anonymous"
    # Another network's editor: not found, by the move URL or the inspect page it comes from.
    client.force_login(hybrid.outsider)
    assert client.post(url, {"attendance": "online"}).status_code == 404
    assert client.get(inspect_url(hybrid.room)).status_code == 404
    # An admin user of no network and without the permission: not found, as inspecting is.
    client.force_login(admin_user())
    assert client.post(url, {"attendance": "online"}).status_code == 404
    assert client.get(inspect_url(hybrid.room)).status_code == 404
    client.force_login(UserFactory())
    assert client.post(url, {"attendance": "online"}).status_code == 302
    assert Rsvp.objects.get(pk=hybrid.room.pk).attendance == "in-person"
    assert not mail.outbox
    # A hub moderator may, as they may see every event's attendees.
    client.force_login(admin_user("events.view_rsvp"))
    assert client.post(url, {"attendance": "online"}).url == inspect_url(hybrid.room)
    assert Rsvp.objects.get(pk=hybrid.room.pk).attendance == "online"


def test_attendees_filter_by_status(client, two_networks_events):
    client.force_login(admin_user("events.view_rsvp"))
    waiting = client.get(ATTENDEES, {"status": RsvpStatus.WAITING}).content.decode()
    assert "b@example.org" in waiting and "ada@example.org" not in waiting


def test_moderators_see_every_event(client, two_networks_events):
    _, our_event, their_event = two_networks_events
    client.force_login(admin_user("events.view_rsvp"))
    exported = rows(client.get(ATTENDEES, {"export": "csv"}))
    assert {row[4] for row in exported[1:]} == {"Our cafe", "Their debate"}
    grace = their_event.rsvps.get()
    assert client.get(inspect_url(grace)).status_code == 200


def test_other_admin_users_and_the_public_see_nothing(client, two_networks_events):
    _, our_event, _ = two_networks_events
    ada = our_event.rsvps.get(name="Ada")
    urls = [ATTENDEES, f"{ATTENDEES}?export=csv", inspect_url(ada)]
    for url in urls:
        assert client.get(url).url.startswith(reverse("wagtailadmin_login")), "anonymous"
    client.force_login(admin_user())
    for url in urls[:2]:
        assert refused(client.get(url)), url
    assert client.get(inspect_url(ada)).status_code == 404, "found only among one's own"
    client.force_login(UserFactory())
    for url in urls:
        assert client.get(url).status_code == 302, "no admin access at all"
        assert "Ada" not in client.get(url, follow=True).content.decode()


def test_a_network_editor_cannot_reach_another_network_s_attendees(client, two_networks_events):
    _, our_event, their_event = two_networks_events
    outsider = admin_user()
    MembershipFactory(network=their_event.get_parent().specific, user=outsider)
    client.force_login(outsider)
    ada = our_event.rsvps.get(name="Ada")
    assert client.get(inspect_url(ada)).status_code == 404
    for query in ({}, {"event": our_event.pk}, {"export": "csv"}):
        body = client.get(ATTENDEES, query)
        content = b"".join(body.streaming_content) if body.streaming else body.content
        assert b"ada@example.org" not in content and b"Our cafe" not in content


def test_the_admin_menu_shows_the_attendee_lists_to_organisers(client, two_networks_events):
    ours, _, _ = two_networks_events
    outsider = admin_user()
    client.force_login(outsider)
    assert ATTENDEES not in client.get("/admin/").content.decode()
    MembershipFactory(network=ours, user=outsider)
    assert ATTENDEES in client.get("/admin/").content.decode()


def test_an_event_s_editor_header_links_to_its_attendees(client, two_networks_events):
    ours, our_event, _ = two_networks_events
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[our_event.pk])).content.decode()
    assert f"{ATTENDEES}?event={our_event.pk}" in edit
    network = client.get(reverse("wagtailadmin_pages:edit", args=[ours.pk])).content.decode()
    assert f"{ATTENDEES}?event=" not in network
