"""Versions in public: the demand's version line and history, co-signing with a mandate,
confirming a new wording; the platform's history; the API; the admin's read-only listing."""

import datetime as dt
import re
from html import unescape

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from wagtail.permissions import policy_registry

from campaigns import services
from campaigns.factories import DemandPageFactory, PlatformPageFactory
from campaigns.models import DemandVersion, NetworkCoSignature
from hub.cache import content_changed
from hub.factories import UserFactory
from networks.factories import MembershipFactory, NetworkPageFactory
from tests.networks.conftest import approved_network

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 3)


def publish(page, **changes):
    for field, value in changes.items():
        setattr(page, field, value)
    page.save_revision().publish()
    page.refresh_from_db()


def mandate(**overrides):
    data = {"mandate": "members-meeting", "decided_on": "2026-03-03", "members": ""}
    data.update(overrides)
    return data


def text(markup: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def reword(demand, ask, agreed_by="Amendment 1 carried"):
    return services.demand_version_publish(
        demand=demand, ask=ask, case_text=None, agreed_by=agreed_by
    )


def test_the_demand_page_names_its_version_and_links_to_its_history(client, demand):
    publish(demand)
    assert "Version 1, agreed on" in client.get(demand.url).content.decode()
    version = reword(demand, "Do the right thing now.")
    DemandVersion.objects.filter(pk=version.pk).update(
        published_at=dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)
    )
    content_changed()  # as a publish would: the summary is read again
    html = client.get(demand.url).content.decode()
    assert f'<a href="{demand.url}history/">Version 2, agreed on 1 December 2026' in html


def test_the_history_shows_each_version_with_word_level_differences(client, demand):
    publish(demand, case=[("paragraph", "<p>Waiting lists are long.</p>")])
    services.demand_version_publish(
        demand=demand, ask="Do the right thing today.",
        case_text="Waiting lists are very long.\n\nTargets harm people.", agreed_by="Amendment 1",
    )  # fmt: skip
    response = client.get(f"{demand.url}history/")
    html = response.content.decode()
    assert response.status_code == 200
    assert text(html).index("Version 2") < text(html).index("Version 1")
    assert "Amendment 1" in html and "First published" in html
    deleted = '<del class="diff__del"><span class="visually-hidden">Removed: </span>thing.</del>'
    inserted = (
        '<ins class="diff__ins"><span class="visually-hidden">Added: </span>thing today.</ins>'
    )
    assert deleted in html and inserted in html
    assert '<span class="visually-hidden">Added: </span>very</ins>' in html
    assert '<span class="visually-hidden">Added: </span>Targets harm people.</ins>' in html
    assert "style=" not in html


def test_the_history_of_one_version_and_of_none(client, demand):
    html = client.get(f"{demand.url}history/").content.decode()
    assert "No version is recorded yet" in html
    publish(demand)
    html = client.get(f"{demand.url}history/").content.decode()
    assert "first and only version" in html and "Removed:" not in html


def test_a_long_history_is_paginated(client, demand):
    publish(demand)
    for number in range(2, 13):
        reword(demand, f"Ask {number}.")
    first = client.get(f"{demand.url}history/").content.decode()
    assert "Page 1 of 2" in first and "Version 12" in first and "Version 2<" not in first
    last = client.get(f"{demand.url}history/?page=2").content.decode()
    assert "Version 2<" in last and "Version 1<" in last and "Version 3<" not in last
    assert client.get(f"{demand.url}history/?page=nonsense").status_code == 200


def test_the_coalition_shows_outdated_signatures_mandates_and_only_given_figures(client, demand):
    publish(demand)
    networks = [MembershipFactory(network__title=title) for title in ("Alpha", "Beta", "Gamma")]
    for membership, members in zip(networks, [1200, None, 300], strict=True):
        services.network_cosignature_create(
            network=membership.network, demand=demand, user=membership.user,
            mandate="members-meeting", decided_on=TODAY, members=members,
        )  # fmt: skip
    reword(demand, "A new ask.")
    services.network_cosignature_confirm(
        network=networks[0].network, demand=demand, user=networks[0].user, mandate="committee",
        decided_on=TODAY, members=1200,
    )  # fmt: skip
    html = text(client.get(demand.url).content.decode())
    assert "Alpha Decided by its committee on 3 March 2026 · speaks for 1,200 members" in html
    assert "Beta signed version 1 Decided by a members' meeting on 3 March 2026" in html
    assert "Gamma signed version 1" in html and "speaks for 300 members" in html
    assert "1,500 members, across the 2 of 3 networks that gave a figure" in html
    assert "members, across all" not in html


def test_cosigning_asks_how_and_when_the_network_decided(client, demand):
    publish(demand)
    admin = MembershipFactory()
    client.force_login(admin.user)
    html = client.get(demand.url).content.decode()
    assert 'for="cosign-mandate"' in html and 'for="cosign-decided_on"' in html
    assert 'for="cosign-members"' in html
    url = f"{demand.url}cosign/"
    network = {"network": admin.network.pk, "action": "sign"}
    future = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    bad_posts = [
        {}, mandate(mandate=""), mandate(decided_on=""), mandate(decided_on=future),
        mandate(mandate="by-magic"), mandate(members="0"), mandate(members="many"),
    ]  # fmt: skip
    for bad in bad_posts:
        response = client.post(url, {**network, **bad})
        assert response.status_code == 400, bad
    assert (
        "cannot be in the future"
        in client.post(url, {**network, **mandate(decided_on=future)}).content.decode()
    )
    assert not NetworkCoSignature.objects.exists()

    assert client.post(url, {**network, **mandate(members="1200")}).status_code == 302
    cosignature = NetworkCoSignature.objects.get()
    assert (cosignature.mandate, cosignature.decided_on, cosignature.members) == (
        "members-meeting", TODAY, 1200,
    )  # fmt: skip
    assert cosignature.version.number == 1
    # Withdrawing asks for no mandate.
    response = client.post(url, {"network": admin.network.pk, "action": "withdraw"})
    assert response.status_code == 302
    assert not NetworkCoSignature.objects.exists()


def test_a_network_admin_confirms_the_new_wording_on_the_demand_page(client, demand):
    publish(demand)
    admin = MembershipFactory(network__title="Alpha")
    services.network_cosignature_create(
        network=admin.network, demand=demand, user=admin.user, mandate="officers",
        decided_on=TODAY,
    )  # fmt: skip
    client.force_login(admin.user)
    assert "Confirm version" not in client.get(demand.url).content.decode()
    reword(demand, "A new ask.")
    html = client.get(demand.url).content.decode()
    assert "Confirm version 2 for your network" in html

    url = f"{demand.url}confirm-version/"
    assert client.post(url, {"network": admin.network.pk}).status_code == 400
    response = client.post(url, {"network": admin.network.pk, **mandate(mandate="members-vote")})
    assert response.status_code == 302
    cosignature = NetworkCoSignature.objects.get()
    assert (cosignature.version.number, cosignature.mandate) == (2, "members-vote")
    html = client.get(demand.url).content.decode()
    assert "signed version 1" not in html and "Confirm version" not in html


def test_only_admins_of_a_cosigning_network_confirm(client, demand):
    publish(demand)
    url = f"{demand.url}confirm-version/"
    admin = MembershipFactory()
    assert client.post(url, {"network": admin.network.pk, **mandate()}).status_code == 403
    editor = MembershipFactory(network=admin.network, role="editor")
    client.force_login(editor.user)
    assert client.post(url, {"network": admin.network.pk, **mandate()}).status_code == 403
    client.force_login(admin.user)
    response = client.post(url, {"network": admin.network.pk, **mandate()})
    assert response.status_code == 400
    assert "does not co-sign this demand" in response.content.decode()
    other = NetworkPageFactory()
    assert client.post(url, {"network": other.pk, **mandate()}).status_code == 400


def test_the_platform_is_cosigned_with_a_mandate_and_has_a_history(client):
    platform = PlatformPageFactory(title="The platform")
    publish(platform)
    demand = DemandPageFactory(parent=platform, title="First demand", live=False)
    publish(demand)
    reword(demand, "A better ask.")
    admin = MembershipFactory()
    client.force_login(admin.user)
    url = f"{platform.url}cosign/"
    assert client.post(url, {"network": admin.network.pk, "action": "sign"}).status_code == 400
    response = client.post(url, {"network": admin.network.pk, "action": "sign", **mandate()})
    assert response.status_code == 302
    assert NetworkCoSignature.objects.get().version.number == 2

    assert "Version 3, agreed on" in client.get(platform.url).content.decode()
    html = text(client.get(f"{platform.url}history/").content.decode())
    assert "Version 3 “First demand” now at version 2" in html
    assert "First demand: version 1 to version 2" in html
    assert "Added: First demand" in html
    assert "Version 1 First published" in html and "No demands yet." in html


def test_the_api_gives_versions_and_cosignatures_with_their_mandates(client, demand):
    publish(demand)
    admin = MembershipFactory()
    services.network_cosignature_create(
        network=admin.network, demand=demand, user=admin.user, mandate="committee",
        decided_on=TODAY, members=40,
    )  # fmt: skip
    reword(demand, "A new ask.", agreed_by="Amendment 1 carried")
    body = client.get(f"/api/v2/demands/{demand.pk}/").json()
    assert body["version"] == 2
    assert [(v["number"], v["ask"], v["agreed_by"]) for v in body["versions"]] == [
        (1, "Do the right thing.", "First published"), (2, "A new ask.", "Amendment 1 carried"),
    ]  # fmt: skip
    assert body["versions"][0]["published_at"]
    assert body["cosignatures"] == [
        {"network": admin.network.slug, "version": 1, "mandate": "committee",
         "decided_on": "2026-03-03", "members": 40},
    ]  # fmt: skip
    listing = client.get("/api/v2/demands/", {"fields": "version,versions"}).json()
    assert listing["items"][0]["version"] == 2


def moderator():
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def test_moderators_read_versions_in_the_admin_and_nobody_edits_them(client, demand):
    publish(demand)
    version = DemandVersion.objects.get()
    index = reverse("demand_versions:index")
    inspect = reverse("demand_versions:inspect", args=[version.pk])
    client.force_login(moderator())
    assert demand.title in client.get(index).content.decode()
    assert "Do the right thing." in client.get(inspect).content.decode()
    assert client.get(reverse("platform_versions:index")).status_code == 200
    for name in ("add", "edit", "delete"):
        with pytest.raises(NoReverseMatch):
            reverse(f"demand_versions:{name}", args=[version.pk] if name != "add" else [])
    superuser = UserFactory(is_staff=True, is_superuser=True)
    policy = policy_registry.get_by_type(DemandVersion)
    assert policy.user_has_permission(superuser, "view")
    assert not any(
        policy.user_has_permission(superuser, action) for action in ("add", "change", "delete")
    )


def test_network_editors_cannot_reach_versions_in_the_admin(client, demand):
    publish(demand)
    network = approved_network("Editors Network")
    editor = network.editors_group.user_set.get()
    assert editor.has_perm("wagtailadmin.access_admin")
    assert not editor.has_perm("campaigns.view_demandversion")
    assert not editor.has_perm("campaigns.change_demandversion")
    client.force_login(editor)
    version = DemandVersion.objects.get()
    for url in (reverse("demand_versions:index"),
                reverse("demand_versions:inspect", args=[version.pk]),
                reverse("platform_versions:index")):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 302 and response.url == reverse("wagtailadmin_home"), url
    assert not Permission.objects.filter(
        group=network.editors_group, content_type__model="demandversion"
    ).exists()
