"""Amendments, decisions and votes in the Wagtail admin: moderators list them and open decisions;
network admins see their own networks' amendments and votes, read only; nobody else opens a
decision through any of the viewsets' URLs."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from campaigns.factories import DemandPageFactory, PlatformPageFactory
from deliberation import services
from deliberation.models import Decision, DecisionKind
from networks.models import Membership
from tests.deliberation.conftest import cosign, network_with_admin, open_decision

pytestmark = pytest.mark.django_db

VIEWSET_PREFIXES = ("admin/amendments/", "admin/decisions/", "admin/votes/")


def admin_access(user):
    group, _ = Group.objects.get_or_create(name="Network editors (test)")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    user.groups.add(group)
    return user


def viewset_routes(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from viewset_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif (prefix + str(pattern.pattern)).startswith(VIEWSET_PREFIXES):
            yield prefix + str(pattern.pattern)


def sample_url(route: str, *, amendment, decision, vote) -> str:
    pk = {"admin/amendments/": amendment.pk, "admin/decisions/": decision.pk,
          "admin/votes/": vote.pk}[route[: route.index("/", 6) + 1]]  # fmt: skip
    return "/" + route.replace("<int:pk>", str(pk))


def future(days=7) -> str:
    return timezone.localtime(timezone.now() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def records(demand, coalition, amendment, moderator):
    """An amendment by Alpha with a decision on it, Beta's vote, and a second amendment by Beta
    that is still open."""
    beta, beta_admin = coalition[1]
    decision = open_decision(demand=demand, amendment=amendment, user=moderator)
    vote = services.vote_cast(decision=decision, network=beta, user=beta_admin, choice="for")
    other = services.amendment_propose(
        demand=demand, network=beta, user=beta_admin, ask="Hold an inquiry now.", case="",
        reason="Sooner.",
    )  # fmt: skip
    return {"amendment": amendment, "decision": decision, "vote": vote, "other": other}


def test_the_viewsets_have_the_routes_this_file_checks():
    routes = set(viewset_routes())
    assert "admin/amendments/<int:pk>/open-decision/" in routes
    assert "admin/decisions/open-adoption/" in routes
    assert len(routes) == 11


def test_a_moderator_lists_and_inspects_everything(client, moderator, records):
    client.force_login(moderator)
    for route in viewset_routes():
        url = sample_url(route, **{k: records[k] for k in ("amendment", "decision", "vote")})
        assert client.get(url).status_code == 200, url
    listing = client.get(reverse("deliberation_amendments:index")).content.decode()
    assert f"Amendment {records['other'].pk} to" in listing
    csv = client.get(reverse("deliberation_decisions:index") + "?export=csv")
    assert csv.status_code == 200


def test_a_moderator_opens_a_decision_on_an_amendment(client, moderator, records):
    other = records["other"]
    client.force_login(moderator)
    url = reverse("deliberation_amendments:open_decision", args=[other.pk])
    response = client.post(url, {"deadline": future(), "quorum": 60, "threshold": "two-thirds"})
    decision = Decision.objects.get(amendment=other)
    assert response.status_code == 302
    assert (decision.quorum, decision.threshold, decision.opened_by) == (
        60,
        "two-thirds",
        moderator,
    )


def test_a_deadline_in_the_past_is_refused_with_the_form(client, moderator, records):
    client.force_login(moderator)
    url = reverse("deliberation_amendments:open_decision", args=[records["other"].pk])
    past = timezone.localtime(timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"deadline": past, "quorum": 50, "threshold": "majority"})
    assert response.status_code == 400
    assert "Set a deadline at least an hour from now." in response.content.decode()
    assert not Decision.objects.filter(amendment=records["other"]).exists()


def test_a_second_decision_on_the_same_amendment_is_refused(client, moderator, records):
    client.force_login(moderator)
    url = reverse("deliberation_amendments:open_decision", args=[records["amendment"].pk])
    response = client.post(url, {"deadline": future(), "quorum": 50, "threshold": "majority"})
    assert response.status_code == 400
    assert Decision.objects.filter(amendment=records["amendment"]).count() == 1


def test_a_moderator_opens_a_decision_on_adopting_a_draft_demand(client, moderator, coalition):
    platform = PlatformPageFactory()
    signed = DemandPageFactory(parent=platform)
    cosign(*coalition[0], signed)
    draft = DemandPageFactory(parent=platform, live=False, title="Caps on caseloads")
    client.force_login(moderator)
    url = reverse("deliberation_decisions:open_adoption")
    assert "Caps on caseloads" in client.get(url).content.decode()
    response = client.post(
        url, {"demand": draft.pk, "deadline": future(), "quorum": 50, "threshold": "majority"}
    )
    assert response.status_code == 302
    decision = Decision.objects.get(demand=draft)
    assert decision.kind == DecisionKind.ADOPTION


def test_a_network_admin_sees_only_their_own_networks_records(client, coalition, records):
    _, beta_admin = coalition[1]
    client.force_login(admin_access(beta_admin))
    listing = client.get(reverse("deliberation_amendments:index")).content.decode()
    assert f"Amendment {records['other'].pk} to" in listing
    assert f"Amendment {records['amendment'].pk} to" not in listing
    alpha_amendment = reverse("deliberation_amendments:inspect", args=[records["amendment"].pk])
    assert client.get(alpha_amendment).status_code == 404
    votes = client.get(reverse("deliberation_votes:index"))
    assert votes.status_code == 200 and "Beta" in votes.content.decode()
    # Decisions and the forms that open them are the moderators'.
    assert client.get(reverse("deliberation_decisions:index")).status_code in (302, 403)


def test_a_gamma_admin_sees_no_other_networks_votes(client, coalition, records):
    _, gamma_admin = coalition[2]
    client.force_login(admin_access(gamma_admin))
    inspect = reverse("deliberation_votes:inspect", args=[records["vote"].pk])
    assert client.get(inspect).status_code == 404


@pytest.mark.parametrize("who", ["network admin", "editor", "other Wagtail user"])
def test_nobody_but_a_moderator_opens_or_closes_a_decision(client, coalition, editor, records, who):
    user = {
        "network admin": coalition[0][1],
        "editor": editor,
        "other Wagtail user": network_with_admin("Elsewhere")[1],
    }[who]
    if who == "other Wagtail user":
        Membership.objects.filter(user=user).delete()
    client.force_login(admin_access(user))
    decisions = Decision.objects.count()
    routes = list(viewset_routes())
    assert routes, "the viewsets are registered"
    for route in routes:
        url = sample_url(route, **{k: records[k] for k in ("amendment", "decision", "vote")})
        for data in [{}, {"deadline": future(), "quorum": 0, "threshold": "majority",
                          "demand": records["amendment"].demand_id}]:  # fmt: skip
            response = client.post(url, data)
            assert response.status_code in (302, 403, 404, 405), (url, response.status_code)
        if "open" in route or route.startswith("admin/decisions/"):
            assert client.get(url).status_code in (302, 403, 404), url
    assert Decision.objects.count() == decisions
    assert Decision.objects.filter(closed_at__isnull=False).count() == 0
