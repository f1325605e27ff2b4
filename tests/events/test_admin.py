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
    our_event = make_event(title="Our cafe", parent=ours)
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
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize("role", [MembershipRole.ADMIN, MembershipRole.EDITOR])
def test_network_members_see_and_export_their_own_events_attendees_only(
    client, two_networks_events, role
):
    ours, our_event, their_event = two_networks_events
    member = admin_user()
    MembershipFactory(network=ours, user=member, role=role)
    client.force_login(member)

    listing = client.get(reverse("events_attendee_events")).content.decode()
    assert "Our cafe" in listing and "Their debate" not in listing
    page = client.get(reverse("events_attendees", args=[our_event.pk])).content.decode()
    assert "ada@example.org" in page and "Unconfirmed" not in page

    exported = rows(client.get(reverse("events_attendees_csv", args=[our_event.pk])))
    assert exported[0][:3] == ["name", "email", "status"]
    assert {row[1] for row in exported[1:]} == {"ada@example.org", "b@example.org"}
    assert ["'=HYPERLINK(1)", "b@example.org", "On the waiting list"] in [r[:3] for r in exported]

    for name in ("events_attendees", "events_attendees_csv"):
        assert refused(client.get(reverse(name, args=[their_event.pk])))


def test_moderators_see_every_event(client, two_networks_events):
    _, our_event, their_event = two_networks_events
    client.force_login(admin_user("events.view_rsvp"))
    for event in (our_event, their_event):
        assert client.get(reverse("events_attendees_csv", args=[event.pk])).status_code == 200


def test_other_admin_users_and_the_public_see_nothing(client, two_networks_events):
    _, our_event, _ = two_networks_events
    url = reverse("events_attendees_csv", args=[our_event.pk])
    assert client.get(url).url.startswith(reverse("wagtailadmin_login")), "anonymous"
    client.force_login(admin_user())
    assert refused(client.get(url))
    assert "Our cafe" not in client.get(reverse("events_attendee_events")).content.decode()
    client.force_login(UserFactory())
    assert client.get(url).status_code == 302, "no admin access at all"
    assert "Ada" not in client.get(url, follow=True).content.decode()


def test_the_admin_menu_shows_the_attendee_lists_to_organisers(client, two_networks_events):
    ours, _, _ = two_networks_events
    outsider = admin_user()
    client.force_login(outsider)
    assert reverse("events_attendee_events") not in client.get("/admin/").content.decode()
    MembershipFactory(network=ours, user=outsider)
    assert reverse("events_attendee_events") in client.get("/admin/").content.decode()


def test_an_event_s_editor_header_links_to_its_attendees(client, two_networks_events):
    ours, our_event, _ = two_networks_events
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[our_event.pk])).content.decode()
    assert reverse("events_attendees", args=[our_event.pk]) in edit
    network = client.get(reverse("wagtailadmin_pages:edit", args=[ours.pk])).content.decode()
    assert not re.search(r"/admin/event-attendees/\d+/", network)
