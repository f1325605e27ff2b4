"""What the public pages show of amendments and decisions: the wording set against the current
one (campaigns.versions' difference), the rules in plain words, and what the signed-in network
admin may do.

The public part of a demand's section is the same for every visitor and changes only when an
amendment, support, comment, vote or decision does (each calls hub.cache.content_changed), so it
is cached for the content version; what the user may do is read per request, for members only.
"""

from dataclasses import dataclass, field

from campaigns.records import NetworkCoSignature
from campaigns.selectors import networks_administered
from campaigns.versions import case_text, words_diff
from hub.cache import cached

from . import selectors
from .models import Amendment, AmendmentStatus, Decision, DecisionOutcome, Threshold, VoteChoice

THRESHOLD_WORDS = {
    Threshold.MAJORITY: "It carries if more networks vote for it than against it.",
    Threshold.TWO_THIRDS: "It carries if at least two thirds of the networks voting for or "
    "against vote for it.",
    Threshold.CONSENSUS: "It carries if no network blocks it and more vote for it than against it.",
}
ABSTAIN_WORDS = "Abstentions count towards the quorum, not for or against."


def quorum_words(decision: Decision, eligible: int) -> str:
    needed = -(-decision.quorum * eligible // 100) if eligible else 0
    networks = "network" if eligible == 1 else "networks"
    if decision.quorum == 0:
        return "There is no quorum: the result counts however many networks vote."
    return (
        f"At least {decision.quorum}% of the {eligible} co-signing {networks} must vote "
        f"({needed} now) for the result to count."
    )


@dataclass
class DecisionView:
    decision: Decision
    tally: dict
    quorum_words: str
    threshold_words: str
    closed: bool
    choices: list = field(default_factory=list)

    @property
    def record(self) -> list[dict]:
        """Who voted how, by choice, once the decision is closed."""
        by_choice = {choice: [] for choice in VoteChoice.values}
        for vote in self.tally["votes"]:
            by_choice[vote.choice].append(vote.network)
        return [
            {"choice": label, "networks": by_choice[value]}
            for value, label in VoteChoice.choices
            if by_choice[value] or value != VoteChoice.BLOCK
        ]

    @property
    def carried(self) -> bool:
        return self.decision.outcome == DecisionOutcome.CARRIED


def decision_view(decision: Decision) -> DecisionView:
    tally = selectors.decision_tally(decision=decision)
    consensus = decision.threshold == Threshold.CONSENSUS
    return DecisionView(
        decision=decision,
        tally=tally,
        quorum_words=quorum_words(decision, tally["eligible"]),
        threshold_words=f"{THRESHOLD_WORDS[decision.threshold]} {ABSTAIN_WORDS}",
        closed=decision.closed_at is not None,
        choices=[c for c in VoteChoice.choices if consensus or c[0] != VoteChoice.BLOCK],
    )


@dataclass
class AmendmentView:
    amendment: Amendment
    ask_diff: list | None
    case_diff: list | None
    supporters: list
    comments: list
    decisions: list[DecisionView]

    @property
    def open_decision(self) -> DecisionView | None:
        return next((view for view in self.decisions if not view.closed), None)


DECIDED = (AmendmentStatus.CARRIED, AmendmentStatus.NOT_CARRIED)


def amendment_view(amendment: Amendment, *, current_ask: str, current_case: str) -> AmendmentView:
    if amendment.status in DECIDED:
        # Once decided it is read against the wording the networks voted to change, which a
        # carried amendment has since replaced.
        current_ask = amendment.version.ask
        current_case = case_text(amendment.version.case)
    return AmendmentView(
        amendment=amendment,
        ask_diff=words_diff(current_ask, amendment.ask) if amendment.ask else None,
        case_diff=words_diff(current_case, amendment.case) if amendment.case else None,
        supporters=[support.network for support in amendment.supports.all()],
        comments=list(amendment.comments.all()),
        decisions=[decision_view(decision) for decision in amendment.decisions.all()],
    )


def demand_section(*, demand) -> dict:
    """The public part of a demand's amendments section, for the content version."""

    def build():
        current_case = case_text(demand.case.raw_data)
        return {
            "amendments": [
                amendment_view(amendment, current_ask=demand.ask, current_case=current_case)
                for amendment in selectors.demand_amendments(demand=demand)
            ],
            "cosigning_ids": set(
                NetworkCoSignature.objects.filter(demand=demand, network__live=True).values_list(
                    "network_id", flat=True
                )
            ),
        }

    return cached(f"deliberation:demand:{demand.pk}", build)


@dataclass
class Acting:
    """The networks the signed-in user may act for on one demand's amendments."""

    admin: list
    cosigning: list

    def may_withdraw(self, amendment: Amendment) -> bool:
        return amendment.status == AmendmentStatus.OPEN and any(
            network.pk == amendment.network_id for network in self.admin
        )

    def may_support(self, view: AmendmentView) -> list:
        if view.amendment.status not in (AmendmentStatus.OPEN, AmendmentStatus.DECIDING):
            return []
        return [n for n in self.cosigning if n.pk != view.amendment.network_id]


def acting_for(*, user, cosigning_ids: set) -> Acting:
    if not user.is_authenticated:
        return Acting(admin=[], cosigning=[])
    admin = list(networks_administered(user=user).order_by("title"))
    return Acting(admin=admin, cosigning=[n for n in admin if n.pk in cosigning_ids])


def mine(view: AmendmentView, acting: Acting) -> dict:
    """What the user may do with one amendment, and what their networks already did."""
    supported = {network.pk for network in view.supporters}
    support_networks = acting.may_support(view)
    votes = {}
    if (decision := view.open_decision) is not None:
        votes = {vote.network_id: vote for vote in decision.tally["votes"]}
    return {
        "view": view,
        "support_networks": [n for n in support_networks if n.pk not in supported],
        "unsupport_networks": [n for n in support_networks if n.pk in supported],
        "comment_networks": acting.admin
        if view.amendment.status != AmendmentStatus.WITHDRAWN
        else [],
        "may_withdraw": acting.may_withdraw(view.amendment),
        "vote_networks": [{"network": n, "vote": votes.get(n.pk)} for n in acting.cosigning]
        if view.open_decision and view.open_decision.decision.is_open
        else [],
    }
