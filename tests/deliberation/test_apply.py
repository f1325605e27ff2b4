"""What a carried decision changes: the demand's wording, or the platform's demands."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateformat import format as date_format

from campaigns import selectors as campaign_selectors
from campaigns.factories import DemandPageFactory, PlatformPageFactory
from campaigns.models import DemandPage, NetworkCoSignature
from deliberation import services
from deliberation.models import AmendmentStatus, DecisionKind, DecisionOutcome, VoteChoice

from .conftest import cosign, network_with_admin, open_decision, pass_deadline, published_demand


@pytest.mark.django_db
def test_a_carried_amendment_publishes_a_new_version_and_older_co_signatures_show_as_older(
    demand, coalition, moderator
):
    network, admin = coalition[0]
    amendment = services.amendment_propose(
        demand=demand, network=network, user=admin, ask="Hold a public inquiry within a year.",
        case="The programme failed.\n\nIts workers say so.", reason="A date makes it a demand.",
    )  # fmt: skip
    decision = open_decision(demand=demand, amendment=amendment, user=moderator)
    for network, admin in coalition:
        services.vote_cast(decision=decision, network=network, user=admin, choice=VoteChoice.FOR)

    assert services.decisions_close_due() == 0
    pass_deadline(decision)
    assert services.decisions_close_due() == 1

    decision.refresh_from_db()
    amendment.refresh_from_db()
    live = DemandPage.objects.get(pk=demand.pk)
    current = campaign_selectors.demand_version_current(demand=live)
    assert decision.outcome == DecisionOutcome.CARRIED
    assert amendment.status == AmendmentStatus.CARRIED
    assert (current.number, decision.result_version) == (2, current)
    assert live.ask == current.ask == "Hold a public inquiry within a year."
    assert [block.block_type for block in live.case] == ["paragraph", "paragraph"]
    day = date_format(timezone.localtime(decision.closed_at), "j F Y")
    assert current.agreed_by == (f"Amendment {amendment.pk} carried by the networks' vote on {day}")
    # Every network signed version 1: all are now shown as having signed an older version.
    outdated = campaign_selectors.cosignatures_outdated(demand=live, version=current)
    assert set(outdated.values_list("network__title", flat=True)) == {"Alpha", "Beta", "Gamma"}
    assert set(NetworkCoSignature.objects.values_list("version__number", flat=True)) == {1}


@pytest.mark.django_db
def test_a_carried_adoption_publishes_the_draft_demand_into_its_platform(moderator):
    platform = PlatformPageFactory(title="Platform for an inquiry")
    signed = published_demand(parent=platform, title="An inquiry")
    draft = DemandPageFactory(parent=platform, title="Fund the services", live=False)
    draft.save_revision()
    pairs = [network_with_admin(title) for title in ("Alpha", "Beta")]
    for network, admin in pairs:
        cosign(network, admin, signed)

    decision = open_decision(demand=draft, user=moderator, kind=DecisionKind.ADOPTION)
    for network, admin in pairs:
        services.vote_cast(decision=decision, network=network, user=admin, choice=VoteChoice.FOR)
    closed = services.decision_close(decision=pass_deadline(decision))

    draft.refresh_from_db()
    assert closed.outcome == DecisionOutcome.CARRIED
    assert closed.eligible == 2
    assert draft.live
    assert closed.result_version == campaign_selectors.demand_version_current(demand=draft)
    assert closed.result_version.agreed_by.startswith("Adopted by the networks' vote on ")


@pytest.mark.django_db
def test_adoption_is_for_a_draft_demand_in_a_platform(demand, moderator):
    with pytest.raises(ValidationError):
        open_decision(demand=demand, user=moderator, kind=DecisionKind.ADOPTION)
