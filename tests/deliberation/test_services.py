from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from campaigns import services as campaign_services
from campaigns.factories import SignatureFactory
from deliberation import selectors, services
from deliberation.models import (
    AmendmentStatus,
    AmendmentSupport,
    Decision,
    DecisionOutcome,
    Threshold,
    Vote,
    VoteChoice,
)
from hub.factories import UserFactory
from hub.models import OutboxMessage
from networks.factories import MembershipFactory
from networks.models import MembershipRole

from .conftest import cosign, network_with_admin, open_decision, pass_deadline


def recipients(**filters) -> list[str]:
    """Every outbox row's address, sorted, repeated if a row repeats it."""
    rows = OutboxMessage.objects.filter(**filters)
    return sorted(address for row in rows for address in row.to)


# Amendments


@pytest.mark.django_db
def test_a_network_admin_proposes_an_amendment_to_the_current_version(amendment, coalition):
    assert amendment.network == coalition[0][0]
    assert amendment.version.number == 1
    assert amendment.status == AmendmentStatus.OPEN
    assert amendment.ask == "Hold a public inquiry within a year."


@pytest.mark.django_db
def test_only_an_admin_of_the_network_proposes_for_it(demand, coalition, editor):
    alpha = coalition[0][0]
    beta_admin = coalition[1][1]
    for user in (beta_admin, editor):
        with pytest.raises(PermissionDenied):
            services.amendment_propose(
                demand=demand, network=alpha, user=user, ask="Another ask.", case="", reason="Why."
            )


@pytest.mark.parametrize(
    ("ask", "case", "reason", "field"),
    [
        ("Hold an inquiry.", "", "The same words.", "ask"),
        ("", "  ", "Nothing at all.", "ask"),
        ("A new ask.", "", "   ", "reason"),
        ("x" * 201, "", "Too long.", "ask"),
    ],
)
@pytest.mark.django_db
def test_an_amendment_changes_the_wording_and_says_why(demand, coalition, ask, case, reason, field):
    network, admin = coalition[0]
    with pytest.raises(ValidationError) as raised:
        services.amendment_propose(
            demand=demand, network=network, user=admin, ask=ask, case=case, reason=reason
        )
    assert field in raised.value.message_dict


@pytest.mark.django_db
def test_the_co_signing_networks_admins_hear_of_a_new_amendment_once_each(demand, coalition):
    (alpha, alpha_admin), (beta, beta_admin), (gamma, _gamma_admin) = coalition
    MembershipFactory(network=alpha, user=UserFactory(email="second@alpha.example.org"))
    # One person is an admin of two co-signing networks.
    MembershipFactory(network=gamma, user=beta_admin)
    outsider, _ = network_with_admin("Outside")
    MembershipFactory(network=alpha, role=MembershipRole.EDITOR)

    services.amendment_propose(
        demand=demand, network=alpha, user=alpha_admin, ask="A new ask.", case="", reason="Why."
    )

    assert recipients() == [
        "admin@beta.example.org",
        "admin@gamma.example.org",
        "second@alpha.example.org",
    ]
    message = OutboxMessage.objects.first()
    assert message.subject == "[Free Association] Alpha proposes an amendment to A public inquiry"
    assert "http://testserver/demands/inquiry/" in message.text
    assert "A new ask." in message.text and "Hold an inquiry." in message.text


@pytest.mark.django_db
def test_another_network_supports_an_amendment_once(amendment, coalition):
    beta, beta_admin = coalition[1]
    services.amendment_support(amendment=amendment, network=beta, user=beta_admin)
    services.amendment_support(amendment=amendment, network=beta, user=beta_admin)
    assert AmendmentSupport.objects.filter(amendment=amendment).count() == 1

    alpha, alpha_admin = coalition[0]
    with pytest.raises(ValidationError):
        services.amendment_support(amendment=amendment, network=alpha, user=alpha_admin)
    assert services.amendment_support_withdraw(amendment=amendment, network=beta, user=beta_admin)
    assert not AmendmentSupport.objects.filter(amendment=amendment).exists()


@pytest.mark.django_db
def test_networks_comment_as_themselves(amendment, coalition, editor):
    beta, beta_admin = coalition[1]
    comment = services.amendment_comment(
        amendment=amendment, network=beta, user=beta_admin, body="  We agree.  "
    )
    assert (comment.network, comment.body) == (beta, "We agree.")
    with pytest.raises(PermissionDenied):
        services.amendment_comment(amendment=amendment, network=beta, user=editor, body="Hi.")
    with pytest.raises(ValidationError):
        services.amendment_comment(amendment=amendment, network=beta, user=beta_admin, body=" ")


@pytest.mark.django_db
def test_the_proposer_withdraws_an_amendment_until_a_decision_opens(
    demand, amendment, coalition, moderator
):
    beta_admin = coalition[1][1]
    with pytest.raises(PermissionDenied):
        services.amendment_withdraw(amendment=amendment, user=beta_admin)
    open_decision(demand=demand, amendment=amendment, user=moderator)
    with pytest.raises(ValidationError):
        services.amendment_withdraw(amendment=amendment, user=coalition[0][1])
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.DECIDING


# Who opens and closes decisions


@pytest.mark.django_db
def test_a_moderator_opens_a_decision_on_an_amendment(demand, amendment, moderator):
    decision = open_decision(demand=demand, amendment=amendment, user=moderator)
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.DECIDING
    assert decision.is_open
    # Only one decision at a time on an amendment.
    with pytest.raises(ValidationError):
        open_decision(demand=demand, amendment=amendment, user=moderator)


def wagtail_editor():
    """Edits pages in the Wagtail admin, with no moderator's rights."""
    user = UserFactory(email="wagtail-editor@example.org", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.mark.parametrize("who", ["network editor", "network admin", "wagtail editor"])
@pytest.mark.django_db
def test_only_moderators_open_or_close_decisions(
    demand, amendment, coalition, editor, moderator, who
):
    user = {"network editor": editor, "network admin": coalition[0][1]}.get(who) or wagtail_editor()
    with pytest.raises(PermissionDenied):
        open_decision(demand=demand, amendment=amendment, user=user)
    assert not Decision.objects.exists()

    decision = pass_deadline(open_decision(demand=demand, amendment=amendment, user=moderator))
    with pytest.raises(PermissionDenied):
        services.decision_close(decision=decision, user=user)
    decision.refresh_from_db()
    assert decision.closed_at is None


@pytest.mark.django_db
def test_nobody_closes_a_decision_before_its_deadline(demand, amendment, moderator):
    decision = open_decision(demand=demand, amendment=amendment, user=moderator)
    with pytest.raises(ValidationError):
        services.decision_close(decision=decision, user=moderator)
    assert services.decisions_close_due() == 0
    decision.refresh_from_db()
    assert decision.closed_at is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"deadline": timezone.now() - timedelta(minutes=1)}, "deadline"),
        ({"quorum": 101}, "quorum"),
        ({"threshold": "unanimity"}, "threshold"),
    ],
)
@pytest.mark.django_db
def test_a_decision_has_a_deadline_ahead_a_quorum_and_a_threshold(
    demand, amendment, moderator, change, field
):
    with pytest.raises(ValidationError) as raised:
        open_decision(demand=demand, amendment=amendment, user=moderator, **change)
    assert field in raised.value.message_dict


# Voting


@pytest.fixture
def decision(demand, amendment, moderator):
    return open_decision(demand=demand, amendment=amendment, user=moderator)


@pytest.mark.django_db
def test_a_network_votes_once_and_may_change_its_vote(decision, coalition):
    alpha, alpha_admin = coalition[0]
    other_admin = MembershipFactory(network=alpha).user
    services.vote_cast(decision=decision, network=alpha, user=alpha_admin, choice=VoteChoice.FOR)
    services.vote_cast(
        decision=decision, network=alpha, user=other_admin, choice=VoteChoice.AGAINST
    )
    vote = Vote.objects.get(decision=decision)
    assert (vote.network, vote.choice, vote.cast_by) == (alpha, VoteChoice.AGAINST, other_admin)
    assert selectors.decision_tally(decision=decision)["cast"] == 1


@pytest.mark.django_db
def test_nobody_votes_for_a_network_they_do_not_admin(decision, coalition, editor):
    alpha = coalition[0][0]
    beta_admin = coalition[1][1]
    for user in (beta_admin, editor):
        with pytest.raises(PermissionDenied):
            services.vote_cast(decision=decision, network=alpha, user=user, choice=VoteChoice.FOR)
    assert not Vote.objects.exists()


@pytest.mark.django_db
def test_no_vote_after_the_deadline(decision, coalition):
    alpha, alpha_admin = coalition[0]
    services.vote_cast(decision=decision, network=alpha, user=alpha_admin, choice=VoteChoice.FOR)
    pass_deadline(decision)
    with pytest.raises(ValidationError):
        services.vote_cast(
            decision=decision, network=alpha, user=alpha_admin, choice=VoteChoice.AGAINST
        )
    beta, beta_admin = coalition[1]
    with pytest.raises(ValidationError):
        services.vote_cast(decision=decision, network=beta, user=beta_admin, choice=VoteChoice.FOR)
    assert list(Vote.objects.values_list("network__title", "choice")) == [("Alpha", "for")]


@pytest.mark.django_db
def test_no_vote_in_a_closed_decision(decision, coalition):
    alpha, alpha_admin = coalition[0]
    services.decision_close(decision=pass_deadline(decision))
    # Even were the deadline moved back, a closed decision stays closed.
    Decision.objects.filter(pk=decision.pk).update(deadline=timezone.now() + timedelta(days=1))
    with pytest.raises(ValidationError):
        services.vote_cast(
            decision=decision, network=alpha, user=alpha_admin, choice=VoteChoice.FOR
        )
    assert not Vote.objects.exists()


@pytest.mark.django_db
def test_blocking_is_only_for_consensus(demand, amendment, coalition, moderator, decision):
    alpha, alpha_admin = coalition[0]
    with pytest.raises(ValidationError):
        services.vote_cast(
            decision=decision, network=alpha, user=alpha_admin, choice=VoteChoice.BLOCK
        )
    Decision.objects.filter(pk=decision.pk).update(threshold=Threshold.CONSENSUS)
    vote = services.vote_cast(
        decision=decision, network=alpha, user=alpha_admin, choice=VoteChoice.BLOCK
    )
    assert vote.choice == VoteChoice.BLOCK


@pytest.mark.django_db
def test_a_network_that_does_not_co_sign_has_no_vote(decision):
    outsider, outsider_admin = network_with_admin("Outside")
    with pytest.raises(ValidationError):
        services.vote_cast(
            decision=decision, network=outsider, user=outsider_admin, choice=VoteChoice.FOR
        )


@pytest.mark.django_db
def test_a_network_approved_after_the_decision_opened_votes_in_it(demand, decision):
    newcomer, newcomer_admin = network_with_admin("Newcomer")
    cosign(newcomer, newcomer_admin, demand)

    services.vote_cast(
        decision=decision, network=newcomer, user=newcomer_admin, choice=VoteChoice.FOR
    )

    tally = selectors.decision_tally(decision=decision)
    assert tally["eligible"] == 4
    assert [(vote.network, vote.choice) for vote in tally["votes"]] == [(newcomer, "for")]


# Counting: quorum and thresholds at their edges

OUTCOME_CASES = {
    # id: (networks eligible, quorum %, threshold, votes, outcome)
    "exactly at quorum": (4, 50, Threshold.MAJORITY, ["for", "for"], "carried"),
    "one short of quorum": (4, 50, Threshold.MAJORITY, ["for"], "no-quorum"),
    "a third is short of 34%": (3, 34, Threshold.MAJORITY, ["for"], "no-quorum"),
    "abstentions count to quorum": (4, 75, Threshold.MAJORITY, ["for", "abstain", "abstain"],
                                    "carried"),
    "majority tie": (4, 50, Threshold.MAJORITY, ["for", "for", "against", "against"],
                     "not-carried"),
    "majority by one": (5, 50, Threshold.MAJORITY, ["for", "for", "against"], "carried"),
    "two-thirds exactly": (3, 50, Threshold.TWO_THIRDS, ["for", "for", "against"], "carried"),
    "two-thirds just under": (5, 50, Threshold.TWO_THIRDS,
                              ["for", "for", "for", "against", "against"], "not-carried"),
    "two-thirds with only abstentions": (2, 50, Threshold.TWO_THIRDS, ["abstain", "abstain"],
                                         "not-carried"),
    "consensus with one block": (4, 50, Threshold.CONSENSUS, ["for", "for", "for", "block"],
                                 "not-carried"),
    "consensus with none": (4, 50, Threshold.CONSENSUS, ["for", "for", "for", "abstain"],
                            "carried"),
    "consensus but more against": (4, 50, Threshold.CONSENSUS, ["for", "against", "against"],
                                   "not-carried"),
}  # fmt: skip


@pytest.mark.parametrize(
    ("eligible", "quorum", "threshold", "votes", "outcome"),
    OUTCOME_CASES.values(),
    ids=OUTCOME_CASES.keys(),
)
@pytest.mark.django_db
def test_the_outcome_at_the_edges(demand, moderator, eligible, quorum, threshold, votes, outcome):
    networks = [network_with_admin(f"Network {n}") for n in range(eligible)]
    for network, admin in networks:
        cosign(network, admin, demand)
    proposer, proposer_admin = networks[0]
    amendment = services.amendment_propose(
        demand=demand, network=proposer, user=proposer_admin, ask="A new ask.", case="",
        reason="Why.",
    )  # fmt: skip
    decision = open_decision(
        demand=demand, amendment=amendment, user=moderator, quorum=quorum, threshold=threshold
    )
    for (network, admin), choice in zip(networks, votes, strict=False):
        services.vote_cast(decision=decision, network=network, user=admin, choice=choice)

    closed = services.decision_close(decision=pass_deadline(decision))

    assert closed.outcome == outcome
    assert closed.eligible == eligible
    tally = selectors.decision_tally(decision=closed)
    assert (tally["cast"], tally["outcome"]) == (len(votes), outcome)


@pytest.mark.django_db
def test_no_networks_eligible_is_no_quorum(demand, moderator, coalition, amendment):
    decision = open_decision(demand=demand, amendment=amendment, user=moderator, quorum=0)
    for network, _admin in coalition:
        network.unpublish()
    closed = services.decision_close(decision=pass_deadline(decision))
    assert (closed.eligible, closed.outcome) == (0, DecisionOutcome.NO_QUORUM)


@pytest.mark.django_db
def test_a_closed_decision_keeps_its_count_when_a_network_withdraws(demand, decision, coalition):
    for network, admin in coalition[:2]:
        services.vote_cast(decision=decision, network=network, user=admin, choice=VoteChoice.FOR)
    closed = services.decision_close(decision=pass_deadline(decision))
    network, admin = coalition[0]
    campaign_services.network_cosignature_withdraw(network=network, demand=demand, user=admin)

    tally = selectors.decision_tally(decision=closed)
    assert (tally["eligible"], tally["cast"], tally["counts"]["for"]) == (3, 2, 2)


@pytest.mark.django_db
def test_a_decision_not_carried_leaves_the_wording(demand, decision, coalition, amendment):
    for network, admin in coalition:
        services.vote_cast(
            decision=decision, network=network, user=admin, choice=VoteChoice.AGAINST
        )
    closed = services.decision_close(decision=pass_deadline(decision))
    amendment.refresh_from_db()
    demand.refresh_from_db()
    assert closed.outcome == DecisionOutcome.NOT_CARRIED
    assert amendment.status == AmendmentStatus.NOT_CARRIED
    assert demand.ask == "Hold an inquiry."
    assert closed.result_version is None


@pytest.mark.django_db
def test_without_a_quorum_the_amendment_is_open_again(demand, decision, amendment, moderator):
    services.decision_close(decision=pass_deadline(decision))
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.OPEN
    # So a moderator may put it to the networks again.
    assert open_decision(demand=demand, amendment=amendment, user=moderator).is_open


@pytest.mark.django_db
def test_closing_is_idempotent(decision, coalition):
    for network, admin in coalition:
        services.vote_cast(decision=decision, network=network, user=admin, choice="against")
    first = services.decision_close(decision=pass_deadline(decision))
    sent = OutboxMessage.objects.count()
    again = services.decision_close(decision=decision)
    assert services.decisions_close_due() == 0
    assert (again.closed_at, again.outcome) == (first.closed_at, first.outcome)
    assert OutboxMessage.objects.count() == sent


# Emails


@pytest.mark.django_db
def test_the_eligible_networks_admins_hear_a_decision_open_once_each(
    demand, amendment, coalition, moderator
):
    beta_admin = coalition[1][1]
    MembershipFactory(network=coalition[2][0], user=beta_admin)
    network_with_admin("Outside")
    OutboxMessage.objects.all().delete()

    open_decision(demand=demand, amendment=amendment, user=moderator)

    assert recipients() == [
        "admin@alpha.example.org",
        "admin@beta.example.org",
        "admin@gamma.example.org",
    ]
    message = OutboxMessage.objects.first()
    assert message.subject == (
        f"[Free Association] Your network's vote: amendment {amendment.pk} to A public inquiry"
    )
    assert "http://testserver/demands/inquiry/" in message.text


@pytest.mark.django_db
def test_the_result_goes_to_admins_and_keep_me_updated_signers_once_each(
    demand, decision, coalition
):
    alpha, alpha_admin = coalition[0]
    SignatureFactory(demand=demand, email="kept@example.net", keep_updated=True)
    SignatureFactory(demand=demand, email="quiet@example.net", keep_updated=False)
    SignatureFactory(demand=demand, email="unconfirmed@example.net", keep_updated=True,
                     confirmed_at=None)  # fmt: skip
    SignatureFactory(demand=demand, email="held@example.net", keep_updated=True, held=True)
    # An admin who also signed and asked to be kept updated hears once.
    SignatureFactory(demand=demand, email=alpha_admin.email, keep_updated=True)
    services.vote_cast(decision=decision, network=alpha, user=alpha_admin, choice="against")
    OutboxMessage.objects.all().delete()

    services.decision_close(decision=pass_deadline(decision))
    services.decisions_close_due()

    assert recipients() == [
        "admin@alpha.example.org",
        "admin@beta.example.org",
        "admin@gamma.example.org",
        "kept@example.net",
    ]
    to_signer = OutboxMessage.objects.get(to=["kept@example.net"])
    assert to_signer.subject == "A public inquiry: the networks' vote is in"
    assert "Not enough networks voted" in to_signer.text
    to_admin = OutboxMessage.objects.get(to=["admin@beta.example.org"])
    assert "- Alpha: against" in to_admin.text


# Reads


@pytest.mark.django_db
def test_a_demands_amendments_are_read_in_flat_queries(
    demand, coalition, moderator, django_assert_num_queries
):
    def propose(network, admin, n):
        amendment = services.amendment_propose(
            demand=demand, network=network, user=admin, ask=f"Ask {n}.", case="", reason="Why."
        )
        for other, other_admin in coalition:
            if other != network:
                services.amendment_support(amendment=amendment, network=other, user=other_admin)
                services.amendment_comment(
                    amendment=amendment, network=other, user=other_admin, body="Yes."
                )
        decision = open_decision(demand=demand, amendment=amendment, user=moderator)
        services.vote_cast(decision=decision, network=network, user=admin, choice="for")

    def read():
        for amendment in selectors.demand_amendments(demand=demand):
            for item in [*amendment.supports.all(), *amendment.comments.all()]:
                assert item.network.title
            for decision in amendment.decisions.all():
                assert [vote.network.title for vote in decision.votes.all()]
            assert amendment.network.title and amendment.version.number

    propose(*coalition[0], 1)
    with django_assert_num_queries(5) as one:
        read()
    propose(*coalition[1], 2)
    propose(*coalition[2], 3)
    with django_assert_num_queries(len(one.captured_queries)):
        read()
