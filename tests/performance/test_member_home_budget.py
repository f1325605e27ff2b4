"""A member's home reads each section in one query, however much they follow, answered, signed
or run."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission

from campaigns.factories import DemandPageFactory, SignatureFactory
from digests.factories import MemberPreferencesFactory
from events.models import EventPage, Rsvp
from hub.factories import TopicFactory, UserFactory
from networks.models import Membership, MembershipRole
from tests.performance.test_query_budgets import add_events, add_networks, queries_on_second_visit

pytestmark = pytest.mark.postgres

# One more since it lists the surveys the member answered, read at once however many.
BUDGET = 17


@pytest.mark.parametrize("size", [3, 40])
def test_member_home(client, db, size):
    member = UserFactory()
    networks = add_networks(size)
    add_events(size, networks=[])
    MemberPreferencesFactory(
        user=member, networks=networks, topics=[TopicFactory() for _ in range(size)]
    )
    Rsvp.objects.bulk_create(
        Rsvp(event=event, user=member, name="Member", email=member.email,
             email_normalised=f"{event.pk}-{member.email}", token=f"token-{event.pk}",
             status="confirmed")
        for event in EventPage.objects.all()
    )  # fmt: skip
    for _ in range(size):
        SignatureFactory(demand=DemandPageFactory(), user=member)
    Membership.objects.bulk_create(
        Membership(network=network, user=member, role=MembershipRole.ADMIN) for network in networks
    )
    group = Group.objects.create(name="Editors of every network")
    GroupPagePermission.objects.create(
        group=group, page=networks[0].get_parent(), permission_type="change"
    )
    member.groups.add(group)
    client.force_login(member)

    page = client.get("/account/").content.decode()
    assert page.count("Cancel my place") == size
    assert page.count("Withdraw<span") == size
    assert page.count("You run this network") == size
    assert page.count("Edit its page") == size
    assert queries_on_second_visit(client, "/account/") <= BUDGET
