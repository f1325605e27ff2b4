"""The public side: the amendments section on a demand's page and the forms under /amendments/
that network admins use. Fixtures (demand, coalition, amendment, moderator) are in conftest."""

import pytest
from django.urls import reverse

from deliberation import services, views
from deliberation.models import (
    Amendment,
    AmendmentComment,
    AmendmentStatus,
    AmendmentSupport,
    Decision,
    Threshold,
    Vote,
)
from tests.deliberation.conftest import cosign, network_with_admin, open_decision, pass_deadline

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_page_cache(monkeypatch):
    # Each test reads the page as it is now, not as an earlier request left it.
    monkeypatch.setattr("hub.pagecache._anonymous", lambda request: False)


def page(client, demand) -> str:
    response = client.get(demand.url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_demand_without_amendments_says_so(client, demand):
    html = page(client, demand)
    assert 'id="amendments"' in html
    assert "No amendments yet" in html
    assert "Propose an amendment" not in html


def test_the_section_shows_the_wording_against_the_current_one(
    client, demand, coalition, amendment
):
    (_alpha, _), (beta, beta_admin), (gamma, gamma_admin) = coalition
    services.amendment_support(amendment=amendment, network=beta, user=beta_admin)
    services.amendment_comment(
        amendment=amendment, network=gamma, user=gamma_admin, body="We would rather say months."
    )
    html = page(client, demand)
    assert f"Amendment {amendment.pk}, proposed by Alpha" in html
    assert "Open for support" in html
    # "Hold an inquiry." becomes "Hold a public inquiry within a year.": the words put in and
    # taken out are marked, and named for screen readers.
    assert '<ins><span class="visually-hidden">[put in: </span>' in html
    assert '<del><span class="visually-hidden">[taken out: </span>' in html
    assert "A date makes it a demand." in html
    assert "Supported by <a" in html and ">Beta</a>" in html
    assert "We would rather say months." in html
    assert "No amendments yet" not in html
    # Nothing of who the admins are.
    assert beta_admin.email not in html and gamma_admin.email not in html


def test_a_cosigning_admin_is_offered_the_forms(client, demand, coalition, amendment):
    _, beta_admin = coalition[1]
    client.force_login(beta_admin)
    html = page(client, demand)
    assert reverse("deliberation:propose", args=[demand.pk]) in html
    assert "Support as Beta" in html
    assert reverse("deliberation:comment", args=[amendment.pk]) in html
    # Only the proposing network's admins may withdraw it.
    assert reverse("deliberation:withdraw", args=[amendment.pk]) not in html


# --- Proposing ------------------------------------------------------------------------------
def test_proposing_starts_from_the_current_wording(client, demand, coalition):
    client.force_login(coalition[0][1])
    response = client.get(reverse("deliberation:propose", args=[demand.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Hold an inquiry."' in html
    # With one network the choice is made: no menu to choose from.
    assert 'type="hidden" name="network"' in html


def test_proposing_an_amendment(client, demand, coalition):
    network, admin = coalition[0]
    client.force_login(admin)
    response = client.post(
        reverse("deliberation:propose", args=[demand.pk]),
        {"network": network.pk, "ask": "Hold an inquiry this year.", "case": "",
         "reason": "Time matters."},
    )  # fmt: skip
    amendment = Amendment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{demand.url}#amendment-{amendment.pk}"
    assert (amendment.network, amendment.ask, amendment.case) == (
        network,
        "Hold an inquiry this year.",
        "",
    )


def test_an_amendment_that_changes_nothing_is_refused_and_nothing_typed_is_lost(
    client, demand, coalition
):
    network, admin = coalition[0]
    client.force_login(admin)
    response = client.post(
        reverse("deliberation:propose", args=[demand.pk]),
        {"network": network.pk, "ask": "Hold an inquiry.", "case": "", "reason": "Our reasons."},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The wording is the same as now" in html
    assert "Our reasons." in html
    assert not Amendment.objects.exists()


def test_an_admin_of_several_networks_chooses_which(client, demand, coalition):
    network, admin = coalition[0]
    other, _ = network_with_admin("Delta")
    other.memberships.create(user=admin, role="admin")
    cosign(other, admin, demand)
    client.force_login(admin)
    html = client.get(reverse("deliberation:propose", args=[demand.pk])).content.decode()
    assert '<select name="network"' in html
    assert ">Delta</option>" in html and ">Alpha</option>" in html


def test_only_admins_of_cosigning_networks_may_propose(client, demand, coalition):
    outsider_network, outsider = network_with_admin("Outside")
    client.force_login(outsider)
    url = reverse("deliberation:propose", args=[demand.pk])
    assert client.get(url).status_code == 403
    response = client.post(
        url, {"network": outsider_network.pk, "ask": "Something else.", "reason": "Why not."}
    )
    assert response.status_code == 403
    assert not Amendment.objects.exists()


def test_a_network_that_is_not_yours_is_refused(client, demand, coalition):
    _, admin = coalition[0]
    beta, _ = coalition[1]
    client.force_login(admin)
    response = client.post(
        reverse("deliberation:propose", args=[demand.pk]),
        {"network": beta.pk, "ask": "Hold an inquiry now.", "reason": "Because."},
    )
    assert response.status_code == 400
    assert "Choose one of the networks you are an admin of." in response.content.decode()
    assert not Amendment.objects.exists()


def test_visitors_are_asked_to_sign_in(client, demand, amendment):
    response = client.post(reverse("deliberation:support", args=[amendment.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- Supporting, commenting, withdrawing ----------------------------------------------------
def test_supporting_and_withdrawing_support(client, coalition, amendment):
    beta, admin = coalition[1]
    client.force_login(admin)
    url = reverse("deliberation:support", args=[amendment.pk])
    assert client.post(url, {"network": beta.pk, "action": "support"}).status_code == 302
    assert AmendmentSupport.objects.filter(amendment=amendment, network=beta).exists()
    assert client.post(url, {"network": beta.pk, "action": "withdraw"}).status_code == 302
    assert not AmendmentSupport.objects.exists()


def test_the_proposer_cannot_support_its_own_amendment(client, coalition, amendment):
    alpha, admin = coalition[0]
    client.force_login(admin)
    response = client.post(
        reverse("deliberation:support", args=[amendment.pk]),
        {"network": alpha.pk, "action": "support"},
    )
    assert response.status_code == 403
    assert not AmendmentSupport.objects.exists()


def test_an_empty_comment_is_refused_with_the_form(client, coalition, amendment):
    gamma, admin = coalition[2]
    client.force_login(admin)
    response = client.post(
        reverse("deliberation:comment", args=[amendment.pk]), {"network": gamma.pk, "body": ""}
    )
    assert response.status_code == 400
    assert "Write a comment before sending it." in response.content.decode()
    assert not AmendmentComment.objects.exists()


def test_a_comment_is_made_as_the_network(client, demand, coalition, amendment):
    gamma, admin = coalition[2]
    client.force_login(admin)
    response = client.post(
        reverse("deliberation:comment", args=[amendment.pk]),
        {"network": gamma.pk, "body": "Agreed, with a date."},
    )
    assert response.status_code == 302
    comment = AmendmentComment.objects.get()
    assert (comment.network, comment.author, comment.body) == (gamma, admin, "Agreed, with a date.")


def test_only_the_proposer_withdraws(client, coalition, amendment):
    url = reverse("deliberation:withdraw", args=[amendment.pk])
    client.force_login(coalition[1][1])
    assert client.post(url).status_code == 403
    client.force_login(coalition[0][1])
    assert client.post(url).status_code == 302
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.WITHDRAWN


def test_comments_are_rate_limited(client, coalition, amendment, monkeypatch):
    monkeypatch.setitem(views.RATE_LIMITS, "comment", (1, 3600))
    gamma, admin = coalition[2]
    client.force_login(admin)
    url = reverse("deliberation:comment", args=[amendment.pk])
    assert client.post(url, {"network": gamma.pk, "body": "One."}).status_code == 302
    response = client.post(url, {"network": gamma.pk, "body": "Two."})
    assert response.status_code == 429
    assert AmendmentComment.objects.count() == 1


# --- Voting ---------------------------------------------------------------------------------
@pytest.fixture
def decision(amendment, moderator):
    return open_decision(demand=amendment.demand, amendment=amendment, user=moderator)


def test_voting_and_changing_the_vote(client, demand, coalition, decision):
    beta, admin = coalition[1]
    client.force_login(admin)
    url = reverse("deliberation:vote", args=[decision.pk])
    response = client.post(url, {"network": beta.pk, "choice": "for"})
    assert response.status_code == 302
    assert response["Location"] == f"{demand.url}#decision-{decision.pk}"
    html = page(client, demand)
    assert "Beta voted for. Change its vote" in html
    assert "So far 1 of 3 networks" in html
    client.post(url, {"network": beta.pk, "choice": "against"})
    vote = Vote.objects.get()
    assert (vote.network, vote.choice) == (beta, "against")


def test_the_section_states_the_rules_in_plain_words(client, demand, decision):
    html = page(client, demand)
    assert "At least 50% of the 3 co-signing networks must vote (2 now)" in html
    assert "It carries if more networks vote for it than against it." in html
    assert "Who voted how is published when voting closes." in html


def test_block_is_only_for_consensus(client, coalition, decision):
    beta, admin = coalition[1]
    client.force_login(admin)
    html = client.get(reverse("deliberation:decision", args=[decision.pk])).content.decode()
    assert 'value="block"' not in html
    response = client.post(
        reverse("deliberation:vote", args=[decision.pk]), {"network": beta.pk, "choice": "block"}
    )
    assert response.status_code == 400
    assert "Choose one of the answers shown." in response.content.decode()
    assert not Vote.objects.exists()


def test_consensus_offers_block(client, coalition, amendment, moderator):
    decision = open_decision(
        demand=amendment.demand, amendment=amendment, user=moderator,
        threshold=Threshold.CONSENSUS,
    )  # fmt: skip
    client.force_login(coalition[1][1])
    html = client.get(reverse("deliberation:decision", args=[decision.pk])).content.decode()
    assert 'value="block"' in html
    assert "It carries if no network blocks it" in html


def test_no_vote_after_the_deadline(client, coalition, decision):
    beta, admin = coalition[1]
    pass_deadline(decision)
    client.force_login(admin)
    response = client.post(
        reverse("deliberation:vote", args=[decision.pk]), {"network": beta.pk, "choice": "for"}
    )
    assert response.status_code == 409
    assert "votes can no longer be cast or changed" in response.content.decode()
    assert not Vote.objects.exists()


def test_no_vote_for_another_network(client, coalition, decision):
    beta, _ = coalition[1]
    _, gamma_admin = coalition[2]
    client.force_login(gamma_admin)
    response = client.post(
        reverse("deliberation:vote", args=[decision.pk]), {"network": beta.pk, "choice": "for"}
    )
    assert response.status_code == 400
    assert not Vote.objects.exists()


def test_a_network_without_a_vote_is_refused(client, decision):
    _, outsider = network_with_admin("Outside")
    client.force_login(outsider)
    response = client.post(reverse("deliberation:vote", args=[decision.pk]), {"choice": "for"})
    assert response.status_code == 403


def test_the_result_and_who_voted_how_once_closed(client, demand, coalition, decision):
    for (network, admin), choice in zip(coalition, ["for", "for", "against"], strict=True):
        services.vote_cast(decision=decision, network=network, user=admin, choice=choice)
    pass_deadline(decision)
    assert services.decisions_close_due() == 1
    html = page(client, demand)
    assert "The networks' vote: carried" in html
    assert "Who voted how" in html
    assert '<th scope="row">For</th><td>Alpha, Beta</td><td>2</td>' in html
    assert '<th scope="row">Against</th><td>Gamma</td><td>1</td>' in html
    assert "The new wording is version 2 of the demand." in html
    # Read against the version it changed, not the wording it became.
    assert "Against version 1, which it was voted on" in html
    assert "[put in: </span>" in html
    assert Decision.objects.get().outcome == "carried"


def test_a_decision_page_for_an_unknown_decision_is_not_found(client, db):
    assert client.get(reverse("deliberation:decision", args=[999])).status_code == 404
