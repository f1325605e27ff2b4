"""Hub moderators review pledges in the admin; network editors and admins reach none of it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from hub.dashboard import waiting_items
from hub.models import OutboxMessage
from networks.models import Membership, MembershipRole
from pledges.factories import PledgeFactory, PledgerFactory
from pledges.models import Pledge, PledgeStatus

from .conftest import approved_network, verified_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def network_people(db):
    admin = verified_user("admin@alpha.example")
    alpha = approved_network("Network Alpha", applicant=admin)
    editor = verified_user("editor@alpha.example")
    Membership.objects.create(network=alpha, user=editor, role=MembershipRole.EDITOR)
    editor.groups.add(alpha.editors_group)
    return alpha, admin, editor


def admin_urls(pledge) -> list[str]:
    pk = pledge.pk
    return [
        reverse("pledges_review:index"),
        reverse("pledges_review:index") + "?status=pending",
        reverse("pledges_review:index_results"),
        reverse("pledges_review:inspect", args=[pk]),
        reverse("pledges_review:approve", args=[pk]),
        reverse("pledges_review:reject", args=[pk]),
        # Wagtail's generic choosers, in case the model is ever given one.
        f"/admin/snippets/choose/pledges/pledge/?q={pledge.slug}",
        "/admin/snippets/choose/pledges/pledger/",
        f"/admin/pledges/{pk}/edit/",
        f"/admin/pledges/{pk}/delete/",
        "/admin/pledges/new/",
    ]


def test_network_editors_and_admins_reach_no_pledge_admin_url(client, network_people):
    alpha, admin, editor = network_people
    pledge = PledgeFactory(network=alpha, status=PledgeStatus.PENDING, created_by=admin)
    PledgerFactory(pledge=pledge, name="Secret Pledger", email="secret.pledger@leak.example")
    for user in (admin, editor):
        client.force_login(user)
        assert client.get("/admin/").status_code == 200
        for url in admin_urls(pledge):
            for method in (client.get, client.post):
                response = method(url)
                assert response.status_code in (302, 403, 404), (user, url, response)
                assert b"leak.example" not in response.content
                assert b"Secret Pledger" not in response.content
        menu = client.get("/admin/").content.decode()
        assert reverse("pledges_review:index") not in menu
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.PENDING


def test_a_moderator_lists_inspects_and_approves(client, hub_moderator):
    pledge = PledgeFactory(status=PledgeStatus.PENDING, action="refuse unpaid overtime now")
    PledgerFactory(pledge=pledge, email="hidden@leak.example")
    client.force_login(hub_moderator)

    listing = client.get(reverse("pledges_review:index") + "?status=pending")
    assert listing.status_code == 200 and "refuse unpaid overtime now" in listing.content.decode()
    inspect = client.get(reverse("pledges_review:inspect", args=[pledge.pk]))
    assert "Approve and open it to pledges" in inspect.content.decode()
    assert "leak.example" not in inspect.content.decode()

    client.post(reverse("pledges_review:approve", args=[pledge.pk]))
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.OPEN and pledge.reviewed_by == hub_moderator
    again = client.post(reverse("pledges_review:approve", args=[pledge.pk]))
    assert again.status_code == 409


def test_a_moderator_rejects_with_a_note_emailed_to_the_proposer(client, hub_moderator):
    proposer = verified_user("proposer@example.org")
    pledge = PledgeFactory(status=PledgeStatus.PENDING, created_by=proposer)
    client.force_login(hub_moderator)
    url = reverse("pledges_review:reject", args=[pledge.pk])
    assert client.post(url, {"note": ""}).status_code == 400
    client.post(url, {"note": "Please name the employer."})
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.REJECTED
    assert OutboxMessage.objects.filter(
        to=["proposer@example.org"], text__contains="Please name the employer."
    ).exists()


def test_the_dashboard_counts_pending_pledges_for_moderators_only(
    rf, hub_moderator, network_people
):
    PledgeFactory.create_batch(2, status=PledgeStatus.PENDING)
    PledgeFactory(status=PledgeStatus.OPEN, bound_at=timezone.now())
    request = rf.get("/admin/")
    request.user = hub_moderator
    items = [i for i in waiting_items(request) if "pledge" in i.singular]
    assert [(i.count, i.label) for i in items] == [(2, "pledges waiting for review")]
    _alpha, admin, _editor = network_people
    request.user = admin
    assert not [i for i in waiting_items(request) if "pledge" in i.singular]
    assert Pledge.objects.count() == 3
