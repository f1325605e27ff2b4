"""Following a demand, and the digest's news of the networks' decisions and amendments."""

import pytest
from django.urls import reverse

from deliberation import services as deliberation_services
from digests.factories import MemberPreferencesFactory
from digests.models import MemberPreferences
from hub.factories import UserFactory
from hub.models import OutboxMessage
from tests.deliberation.conftest import (
    cosign,
    moderator_user,
    network_with_admin,
    open_decision,
    pass_deadline,
    published_demand,
)
from tests.digests.test_selectors import one_digest, run_digest

pytestmark = pytest.mark.django_db


@pytest.fixture
def demand(db):
    return published_demand(title="A public inquiry", slug="inquiry", ask="Hold an inquiry.")


@pytest.fixture
def moderator(db):
    return moderator_user()


@pytest.fixture
def coalition(demand):
    pairs = [network_with_admin(title) for title in ("Alpha", "Beta", "Gamma")]
    for network, admin in pairs:
        cosign(network, admin, demand)
    return pairs


@pytest.fixture
def amendment(demand, coalition):
    network, admin = coalition[0]
    return deliberation_services.amendment_propose(
        demand=demand, network=network, user=admin, ask="Hold an inquiry this year.", case="",
        reason="A date makes it a demand.",
    )  # fmt: skip


def test_follow_and_unfollow_a_demand_from_its_page(client, demand):
    member = UserFactory()
    client.force_login(member)
    html = client.get(demand.url).content.decode()
    assert reverse("digests:demand_follow", args=[demand.pk]) in html
    assert "Follow this demand" in html
    url = reverse("digests:demand_follow", args=[demand.pk])
    response = client.post(url, {"follow": "1", "next": demand.url})
    assert response.status_code == 302 and response["Location"] == demand.url
    assert list(MemberPreferences.objects.get(user=member).demands.all()) == [demand]
    home = client.get("/account/").content.decode()
    assert demand.title in home and f'Unfollow<span class="visually-hidden"> {demand.title}' in home
    client.post(url, {"follow": "0"})
    assert not MemberPreferences.objects.get(user=member).demands.exists()


def test_visitors_are_asked_to_sign_in_to_follow(client, demand):
    assert "Sign in to follow this demand" in client.get(demand.url).content.decode()


def decided(demand, coalition, amendment, moderator):
    decision = open_decision(demand=demand, amendment=amendment, user=moderator)
    for network, admin in coalition:
        deliberation_services.vote_cast(
            decision=decision, network=network, user=admin, choice="for"
        )
    pass_deadline(decision)
    deliberation_services.decisions_close_due()
    return decision


def test_a_follower_hears_of_the_decision(demand, coalition, amendment, moderator):
    decided(demand, coalition, amendment, moderator)
    follower = MemberPreferencesFactory(demands=[demand])
    stranger = MemberPreferencesFactory()
    digest, _ = one_digest(follower)
    assert [(d["title"], d["outcome"], d["version"]) for d in digest["decisions"]] == [
        (demand.title, "Carried", 2)
    ]
    assert one_digest(stranger)[0] is None


def test_cosigning_admins_hear_of_new_amendments(demand, coalition, amendment):
    _, beta_admin = coalition[1]
    _, alpha_admin = coalition[0]
    beta = MemberPreferencesFactory(user=beta_admin)
    alpha = MemberPreferencesFactory(user=alpha_admin)
    outsider = MemberPreferencesFactory(user=network_with_admin("Outside")[1])
    digest, _ = one_digest(beta)
    assert [a["id"] for a in digest["amendments"]] == [amendment.pk]
    # The proposer's own admins, and networks not co-signing, are not told again.
    assert one_digest(alpha)[0] is None
    assert one_digest(outsider)[0] is None


def test_the_queries_per_member_stay_flat_with_decisions_and_amendments(
    demand, coalition, amendment, moderator
):
    _, beta_admin = coalition[1]
    beta = MemberPreferencesFactory(user=beta_admin, demands=[demand])
    # Published first, as the decision's new version publishes it: a new demand either way.
    demand.save_revision().publish()
    _, small = one_digest(beta)
    decided(demand, coalition, amendment, moderator)
    for number in range(5):
        network, admin = network_with_admin(f"More {number}")
        cosign(network, admin, demand)
        deliberation_services.amendment_propose(
            demand=demand, network=network, user=admin, ask=f"Ask {number}.", case="",
            reason="More.",
        )  # fmt: skip
    digest, large = one_digest(beta)
    assert len(digest["amendments"]) == 6 and len(digest["decisions"]) == 1
    assert small == large, (small, large)


def test_a_run_sends_the_follower_the_decision(demand, coalition, amendment, moderator):
    decided(demand, coalition, amendment, moderator)
    follower = MemberPreferencesFactory(demands=[demand])
    run = run_digest("daily")
    assert run.recipients == 1
    (message,) = [m for m in OutboxMessage.objects.all() if m.to == [follower.user.email]]
    assert "THE NETWORKS DECIDED" in message.text
    assert f"amendment {amendment.pk}, carried; the demand is now at version 2" in message.text
