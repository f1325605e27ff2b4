import io

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from wagtail.models import GroupPagePermission

from networks.models import (
    ApplicationStatus,
    Invitation,
    Membership,
    NetworkApplication,
    NetworkPage,
    PositionPage,
)

pytestmark = pytest.mark.django_db


def counts():
    return {
        "networks": NetworkPage.objects.count(),
        "applications": NetworkApplication.objects.count(),
        "memberships": Membership.objects.count(),
        "invitations": Invitation.objects.count(),
        "groups": Group.objects.count(),
        "positions": PositionPage.objects.count(),
    }


def test_seed_demo_builds_networks_through_the_services(
    django_capture_on_commit_callbacks, settings
):
    # The networks' part alone: later seeders (events, demands, amendments) write to the
    # networks' admins too, and this counts what the networks' services sent.
    settings.DEMO_SEEDERS = ["hub.demo.seed_hub", "networks.demo.seed_networks"]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    first = counts()
    networks = NetworkPage.objects.live()
    assert networks.count() >= 12
    assert len({n.kind for n in networks}) >= 6
    assert networks.filter(regions__slug="scotland").exists()
    assert networks.filter(regions__slug="northern-ireland").exists()
    for network in networks:
        # The marks the services leave: an approved application, a group confined to the
        # network's own page, an admin membership.
        assert network.application.status == ApplicationStatus.APPROVED
        assert {
            p.page_id for p in GroupPagePermission.objects.filter(group=network.editors_group)
        } == {network.pk}
        admin = network.memberships.get(role="admin").user
        assert admin.groups.filter(pk=network.editors_group_id).exists()
        assert not admin.is_superuser
        assert 2 <= PositionPage.objects.live().child_of(network).count() <= 4
    editors = Membership.objects.filter(role="editor")
    assert editors.count() >= 2
    assert all(
        Invitation.objects.filter(accepted_by=m.user, network=m.network).exists() for m in editors
    ), "editors joined by accepting invitations"
    # Each application (approved or waiting) told the demo's one moderator, its superuser.
    told = first["applications"]
    assert len(mail.outbox) == first["networks"] + first["invitations"] + told, "emails went out"
    assert NetworkApplication.objects.filter(status=ApplicationStatus.PENDING).count() == 1

    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first
