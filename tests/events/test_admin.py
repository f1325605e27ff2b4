import csv
import io
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from events.factories import RsvpFactory
from events.models import RsvpStatus
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
    our_event = make_event(title="Our cafe", parent=ours, capacity=12)
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
    assert exported[0] == ["Name", "Email", "Status", "Event", "Replied", "Place or queue since"]
    assert {row[1] for row in exported[1:]} == {"ada@example.org", "b@example.org"}
    assert ["'=HYPERLINK(1)", "b@example.org", "On the waiting list", "Our cafe"] in [
        row[:4] for row in exported
    ]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d[+-]\d\d:\d\d", exported[1][4])
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


def test_one_event_s_attendees_come_with_its_confirmed_waiting_and_capacity(
    client, two_networks_events
):
    ours, our_event, _ = two_networks_events
    client.force_login(admin_user("events.view_rsvp"))
    page = client.get(ATTENDEES, {"event": our_event.pk}).content.decode()
    assert "Our cafe" in page
    summary = page[page.index('id="event-summary-heading"') :]
    assert "<dt>Confirmed</dt><dd><strong>1</strong></dd>" in summary
    assert "<dt>Waiting</dt><dd><strong>1</strong></dd>" in summary
    assert "<dt>Capacity</dt><dd><strong>12 places</strong></dd>" in summary
    assert "Ada" in summary and "Grace" not in summary
    assert 'id="event-summary-heading"' not in client.get(ATTENDEES).content.decode()


def test_attendees_filter_by_status(client, two_networks_events):
    client.force_login(admin_user("events.view_rsvp"))
    waiting = client.get(ATTENDEES, {"status": RsvpStatus.WAITING}).content.decode()
    assert "b@example.org" in waiting and "ada@example.org" not in waiting


def test_moderators_see_every_event(client, two_networks_events):
    _, our_event, their_event = two_networks_events
    client.force_login(admin_user("events.view_rsvp"))
    exported = rows(client.get(ATTENDEES, {"export": "csv"}))
    assert {row[3] for row in exported[1:]} == {"Our cafe", "Their debate"}
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
