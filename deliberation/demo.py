"""Demo amendments and decisions: on "An end to recovery-rate targets", an amendment the networks
carried (which made the demand's version 2) and an open one another network supports. Made
through the services, as the networks would; safe to run again."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from campaigns import selectors as campaign_selectors
from campaigns import services as campaign_services
from campaigns.models import DemandPage
from networks.models import Membership, MembershipRole, NetworkPage

from . import services
from .models import Amendment, Decision, DecisionKind, Threshold

DEMAND_SLUG = "end-recovery-rate-targets"
CARRIED_ASK = (
    "Stop judging services, and paying for them, by recovery-rate targets, and ask the people "
    "who use them what helped."
)
OPEN_CASE = (
    "Recovery-rate targets reward services for discharging people quickly, not for helping "
    "them.\n\n"
    "Therapists learn to pick the people most likely to score as recovered, and those who "
    "need longer help are turned away.\n\n"
    "Services should be judged by what the people who use them say helped, over the months "
    "after therapy ends."
)
VOTES = ["for", "for", "against", "for", "abstain", "for"]


def _admin(network: NetworkPage):
    membership = Membership.objects.filter(network=network, role=MembershipRole.ADMIN).first()
    return membership.user if membership else None


def seed_deliberation() -> dict[str, int]:
    demand = DemandPage.objects.live().filter(slug=DEMAND_SLUG).first()
    if demand is not None and not Amendment.objects.filter(demand=demand).exists():
        _seed(demand)
    return {"amendments": Amendment.objects.count(), "decisions": Decision.objects.count()}


def _seed(demand: DemandPage) -> None:
    moderator = get_user_model().objects.get(email=settings.DEMO_ADMIN_EMAIL)
    cosigners = [
        network
        for network in NetworkPage.objects.live()
        .filter(cosignatures__demand=demand)
        .order_by("path")
        if _admin(network) is not None
    ]
    if len(cosigners) < 3:
        return
    if campaign_selectors.demand_version_current(demand=demand) is None:
        campaign_services.demand_version_record(demand=demand)
    first, second, third = cosigners[:3]
    carried = services.amendment_propose(
        demand=demand,
        network=first,
        user=_admin(first),
        ask=CARRIED_ASK,
        case="",
        reason="A target tells services what not to do; the ask should also say what to do "
        "instead, in the words of the people who use them.",
    )
    services.amendment_support(amendment=carried, network=second, user=_admin(second))
    services.amendment_comment(
        amendment=carried,
        network=third,
        user=_admin(third),
        body="We agree. Our members asked that \u201cwhat helped\u201d be measured months "
        "after therapy, not on the last day.",
    )
    decision = services.decision_open(
        kind=DecisionKind.AMENDMENT,
        demand=demand,
        amendment=carried,
        deadline=timezone.now() + timedelta(hours=1),
        quorum=50,
        threshold=Threshold.MAJORITY,
        user=moderator,
    )
    for network, choice in zip(cosigners, VOTES * len(cosigners), strict=False):
        services.vote_cast(decision=decision, network=network, user=_admin(network), choice=choice)
    # The demo has no week to wait: the vote closed a day ago.
    Decision.objects.filter(pk=decision.pk).update(
        opened_at=timezone.now() - timedelta(days=8), deadline=timezone.now() - timedelta(days=1)
    )
    services.decision_close(decision=decision)
    demand.refresh_from_db()
    pending = services.amendment_propose(
        demand=demand,
        network=second,
        user=_admin(second),
        ask="",
        case=OPEN_CASE,
        reason="The case should say why targets harm people, so that readers see what the "
        "ask would change.",
    )
    services.amendment_support(amendment=pending, network=third, user=_admin(third))
