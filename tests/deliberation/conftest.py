from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from campaigns import services as campaign_services
from campaigns.factories import DemandPageFactory
from campaigns.models import DemandVersion
from deliberation import services
from deliberation.models import Decision, DecisionKind, Threshold
from hub.factories import UserFactory
from hub.models import HomePage
from networks.factories import MembershipFactory, NetworkIndexPageFactory, NetworkPageFactory
from networks.models import MembershipRole


def network_with_admin(title: str, *, admin_email: str | None = None):
    """An approved network (its page live under /networks/) and its admin."""
    index = NetworkIndexPageFactory(parent=HomePage.objects.get())
    network = NetworkPageFactory(title=title, parent=index)
    email = admin_email or f"admin@{title.lower()}.example.org"
    membership = MembershipFactory(network=network, user=UserFactory(email=email))
    return network, membership.user


def cosign(network, admin, demand):
    return campaign_services.network_cosignature_create(network=network, demand=demand, user=admin)


def published_demand(**kwargs):
    """A live demand with its first version recorded, as publishing records it."""
    demand = DemandPageFactory(**kwargs)
    DemandVersion.objects.get_or_create(
        demand=demand, number=1, defaults={"ask": demand.ask, "agreed_by": "First published"}
    )
    return demand


def moderator_user(email="moderator@example.org"):
    user = UserFactory(email=email)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def open_decision(*, demand, user, amendment=None, **overrides):
    kwargs = {
        "kind": DecisionKind.AMENDMENT if amendment else DecisionKind.ADOPTION,
        "demand": demand,
        "amendment": amendment,
        "deadline": timezone.now() + timedelta(days=7),
        "quorum": 50,
        "threshold": Threshold.MAJORITY,
        "user": user,
    }
    kwargs.update(overrides)
    return services.decision_open(**kwargs)


def pass_deadline(decision):
    """Time moves on: the deadline is a second ago, by the database's clock too."""
    Decision.objects.filter(pk=decision.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    decision.refresh_from_db()
    return decision


@pytest.fixture
def demand(db):
    return published_demand(title="A public inquiry", slug="inquiry", ask="Hold an inquiry.")


@pytest.fixture
def moderator(db):
    return moderator_user()


@pytest.fixture
def coalition(demand):
    """Three co-signing networks with an admin each: (network, admin) pairs."""
    pairs = [network_with_admin(title) for title in ("Alpha", "Beta", "Gamma")]
    for network, admin in pairs:
        cosign(network, admin, demand)
    return pairs


@pytest.fixture
def amendment(demand, coalition):
    network, admin = coalition[0]
    return services.amendment_propose(
        demand=demand,
        network=network,
        user=admin,
        ask="Hold a public inquiry within a year.",
        case="",
        reason="A date makes it a demand.",
    )


@pytest.fixture
def editor(coalition):
    """A member of the first network with the editor role, not its admin."""
    return MembershipFactory(network=coalition[0][0], role=MembershipRole.EDITOR).user
