"""Amendments and decisions in the public API: networks only, and who voted how only once the
decision is closed."""

import json

import pytest

from deliberation import services
from tests.deliberation.conftest import open_decision, pass_deadline

pytestmark = pytest.mark.django_db


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()


def test_amendments_with_their_status_and_supports(client, demand, coalition, amendment):
    beta, beta_admin = coalition[1]
    services.amendment_support(amendment=amendment, network=beta, user=beta_admin)
    listing = get(client, f"/api/v2/amendments/?demand={demand.pk}")
    assert listing["meta"]["total_count"] == 1
    item = listing["items"][0]
    assert item["status"] == "open"
    assert item["supports_count"] == 1
    assert item["network"]["title"] == "Alpha"
    detail = get(client, f"/api/v2/amendments/{amendment.pk}/")
    assert detail["ask"] == "Hold a public inquiry within a year."
    assert detail["version"] == 1
    assert [n["title"] for n in detail["supporting_networks"]] == ["Beta"]


def test_no_person_in_the_api(client, coalition, amendment, moderator):
    decision = open_decision(demand=amendment.demand, amendment=amendment, user=moderator)
    for network, admin in coalition:
        services.vote_cast(decision=decision, network=network, user=admin, choice="for")
    pass_deadline(decision)
    services.decisions_close_due()
    text = json.dumps(
        [get(client, f"/api/v2/amendments/{amendment.pk}/"),
         get(client, f"/api/v2/decisions/{decision.pk}/")]
    )  # fmt: skip
    for _network, admin in coalition:
        assert admin.email not in text
    assert moderator.email not in text
    for field in ["proposed_by", "cast_by", "opened_by", "supported_by", "author"]:
        assert field not in text


def test_who_voted_how_only_once_closed(client, coalition, amendment, moderator):
    decision = open_decision(demand=amendment.demand, amendment=amendment, user=moderator)
    (alpha, alpha_admin), (beta, beta_admin), _ = coalition
    services.vote_cast(decision=decision, network=alpha, user=alpha_admin, choice="for")
    services.vote_cast(decision=decision, network=beta, user=beta_admin, choice="against")
    url = f"/api/v2/decisions/{decision.pk}/"
    open_ = get(client, url)
    assert open_["result"] is None
    assert (open_["quorum"], open_["threshold"], open_["outcome"]) == (50, "majority", "")
    pass_deadline(decision)
    services.decisions_close_due()
    closed = get(client, url)
    assert closed["outcome"] == "not-carried"
    assert closed["result"]["eligible"] == 3
    assert closed["result"]["counts"] == {"for": 1, "against": 1, "abstain": 0, "block": 0}
    assert {(v["network"]["title"], v["choice"]) for v in closed["result"]["votes"]} == {
        ("Alpha", "for"),
        ("Beta", "against"),
    }
    assert get(client, "/api/v2/decisions/?outcome=open")["meta"]["total_count"] == 0


@pytest.mark.parametrize(
    "url",
    ["/api/v2/amendments/?demand=x", "/api/v2/amendments/?status=nope",
     "/api/v2/decisions/?outcome=maybe", "/api/v2/amendments/find/?id=a",
     "/api/v2/decisions/?demand=%00"],
)  # fmt: skip
def test_bad_filters_are_a_400(client, db, url):
    assert client.get(url).status_code == 400
