"""Concurrent votes and closers against real PostgreSQL, each thread on its own connection."""

import pytest

from campaigns.models import DemandVersion
from deliberation import services
from deliberation.models import Vote, VoteChoice
from hub.models import OutboxMessage
from networks.factories import MembershipFactory
from tests.conftest import run_in_threads

from .conftest import (
    cosign,
    moderator_user,
    network_with_admin,
    open_decision,
    pass_deadline,
    published_demand,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def coalition_and_decision(size=3, **decision_kwargs):
    demand = published_demand(title="A public inquiry", ask="Hold an inquiry.")
    pairs = [network_with_admin(f"Network {n}") for n in range(size)]
    for network, admin in pairs:
        cosign(network, admin, demand)
    proposer, proposer_admin = pairs[0]
    amendment = services.amendment_propose(
        demand=demand, network=proposer, user=proposer_admin, ask="Hold a public inquiry now.",
        case="", reason="Sooner is better.",
    )  # fmt: skip
    decision = open_decision(
        demand=demand, amendment=amendment, user=moderator_user(), **decision_kwargs
    )
    return demand, pairs, decision


def test_concurrent_votes_for_one_network_make_one_vote():
    _demand, pairs, decision = coalition_and_decision()
    network, admin = pairs[0]
    admins = [admin, *(MembershipFactory(network=network).user for _ in range(2))]
    choices = [VoteChoice.FOR, VoteChoice.AGAINST, VoteChoice.ABSTAIN]

    run_in_threads(
        30,
        lambda n: services.vote_cast(
            decision=decision, network=network, user=admins[n % 3], choice=choices[n % 3]
        ),
    )

    assert Vote.objects.filter(decision=decision).count() == 1
    assert Vote.objects.get(decision=decision).choice in choices


def test_concurrent_closers_apply_a_carried_amendment_once():
    demand, pairs, decision = coalition_and_decision()
    for network, admin in pairs:
        services.vote_cast(decision=decision, network=network, user=admin, choice=VoteChoice.FOR)
    pass_deadline(decision)
    closed = []

    def close(n):
        if n % 2:
            closed.append(services.decisions_close_due())
        else:
            services.decision_close(decision=decision)

    run_in_threads(8, close)

    decision.refresh_from_db()
    assert decision.outcome == "carried"
    assert sum(closed) <= 1
    assert list(DemandVersion.objects.filter(demand=demand).values_list("number", flat=True)) == [
        1,
        2,
    ]
    assert decision.result_version.number == 2
    # The result, once to each network's admin.
    results = OutboxMessage.objects.filter(subject__startswith="[Free Association] Carried:")
    assert sorted(address for message in results for address in message.to) == sorted(
        admin.email for _network, admin in pairs
    )
