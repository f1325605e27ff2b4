"""Reads for amendments and decisions: who may vote, the count, a demand's amendments."""

from django.db.models import Prefetch, QuerySet
from wagtail.models import Page

from campaigns.models import DemandPage, NetworkCoSignature, PlatformPage
from networks.models import Membership, MembershipRole, NetworkPage

from .models import (
    Amendment,
    AmendmentComment,
    AmendmentSupport,
    Decision,
    DecisionKind,
    DecisionOutcome,
    Threshold,
    Vote,
    VoteChoice,
)

# Hub moderators hold it (migration 0003); network admins and Wagtail editors do not.
DECIDE_PERMISSION = "deliberation.add_decision"


def can_decide(user) -> bool:
    """May open and close decisions: the hub's moderators (and superusers)."""
    return bool(user is not None and user.is_active and user.has_perm(DECIDE_PERMISSION))


def decision_platform(*, demand: Page) -> PlatformPage | None:
    return PlatformPage.objects.filter(pk=demand.get_parent().pk).first()


def _cosigned_demands(*, decision: Decision) -> QuerySet:
    """The demands whose co-signers vote: the amended demand, or for an adoption every
    demand of the platform the new demand would join."""
    if decision.kind == DecisionKind.ADOPTION:
        platform = decision_platform(demand=decision.demand)
        if platform is None:
            return DemandPage.objects.none()
        return platform.get_demands()
    return DemandPage.objects.filter(pk=decision.demand_id)


def networks_eligible(*, decision: Decision) -> QuerySet:
    """The networks entitled to vote now: approved (their page live) and co-signing, whatever
    version they signed and however recently they joined."""
    cosigning = NetworkCoSignature.objects.filter(
        demand__in=_cosigned_demands(decision=decision)
    ).values("network_id")
    return NetworkPage.objects.live().filter(pk__in=cosigning).order_by("title")


def networks_cosigning(*, demand: Page) -> QuerySet:
    return NetworkPage.objects.live().filter(cosignatures__demand=demand)


def quorum_met(*, cast: int, eligible: int, quorum: int) -> bool:
    """Votes cast of the networks eligible, at least `quorum` per cent; none eligible, none met."""
    return eligible > 0 and cast * 100 >= quorum * eligible


def threshold_met(*, threshold: str, counts: dict) -> bool:
    """Over the votes for and against; abstentions count to the quorum only."""
    votes_for, against = counts[VoteChoice.FOR], counts[VoteChoice.AGAINST]
    if threshold == Threshold.TWO_THIRDS:
        return votes_for > 0 and 3 * votes_for >= 2 * (votes_for + against)
    if threshold == Threshold.CONSENSUS:
        return counts[VoteChoice.BLOCK] == 0 and votes_for > against
    return votes_for > against


def outcome_of(*, quorum: bool, threshold: bool) -> str:
    if not quorum:
        return DecisionOutcome.NO_QUORUM
    return DecisionOutcome.CARRIED if threshold else DecisionOutcome.NOT_CARRIED


def _count(*, decision: Decision, votes: list[Vote], eligible: int) -> dict:
    counts = dict.fromkeys(VoteChoice.values, 0)
    for vote in votes:
        counts[vote.choice] += 1
    cast = len(votes)
    met_quorum = quorum_met(cast=cast, eligible=eligible, quorum=decision.quorum)
    met_threshold = threshold_met(threshold=decision.threshold, counts=counts)
    return {
        "eligible": eligible,
        "counts": counts,
        "cast": cast,
        # In whole per cent, rounded down, so "50%" never shows for a quorum one vote short.
        "turnout": cast * 100 // eligible if eligible else 0,
        "quorum_met": met_quorum,
        "threshold_met": met_threshold,
        "outcome": outcome_of(quorum=met_quorum, threshold=met_threshold),
        "votes": votes,
    }


def decision_tally(*, decision: Decision) -> dict:
    """The count: `eligible` networks, `counts` per choice, `cast`, `turnout` (per cent),
    `quorum_met`, `threshold_met`, `outcome` (what it is or would be now) and `votes`, each
    with its network, by network name.

    Open, it is counted live over the networks eligible now; closed, it is the count stored
    when it closed (only the votes of networks then eligible counted). At most two queries;
    one when the votes are prefetched with their networks, as `demand_amendments` does.
    """
    if "votes" in getattr(decision, "_prefetched_objects_cache", {}):
        votes = list(decision.votes.all())
    else:
        votes = list(decision.votes.select_related("network"))
    if decision.closed_at is not None:
        counted = set(decision.tally.get("networks", []))
        votes = [vote for vote in votes if vote.network_id in counted]
        return _count(decision=decision, votes=votes, eligible=decision.eligible or 0)
    eligible = set(networks_eligible(decision=decision).values_list("pk", flat=True))
    votes = [vote for vote in votes if vote.network_id in eligible]
    return _count(decision=decision, votes=votes, eligible=len(eligible))


def demand_amendments(*, demand: Page) -> QuerySet:
    """A demand's amendments, newest first, with their networks, version, supports, comments
    and decisions (with votes) prefetched: the same number of queries however many there are."""
    return (
        Amendment.objects.filter(demand=demand)
        .select_related("network", "version")
        .prefetch_related(
            Prefetch(
                "supports",
                queryset=AmendmentSupport.objects.select_related("network").order_by("created_at"),
            ),
            Prefetch(
                "comments",
                queryset=AmendmentComment.objects.select_related("network").order_by("created_at"),
            ),
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("result_version")
                .prefetch_related(
                    Prefetch("votes", queryset=Vote.objects.select_related("network"))
                )
                .order_by("-opened_at"),
            ),
        )
        .order_by("-created_at", "-pk")
    )


def decision_open_for(*, amendment: Amendment | None = None, demand: Page | None = None):
    """The decision still open on an amendment, or on adopting a demand, if any."""
    decisions = Decision.objects.filter(closed_at__isnull=True)
    if amendment is not None:
        return decisions.filter(amendment=amendment).first()
    return decisions.filter(kind=DecisionKind.ADOPTION, demand=demand).first()


def network_admin_emails(*, networks) -> list[str]:
    """The addresses of the admins of `networks`, each once."""
    users = (
        Membership.objects.filter(
            network__in=networks, role=MembershipRole.ADMIN, user__is_active=True
        )
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return sorted({email.strip().lower(): email for email in users}.values())
