"""Versions of a demand's wording and of a platform's list of demands, recorded as published;
co-signatures name the version they agreed to, with the network's mandate."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from campaigns import selectors, services
from campaigns.factories import DemandPageFactory, PlatformPageFactory
from campaigns.models import DemandVersion, PlatformVersion
from hub.models import OutboxMessage
from networks.factories import MembershipFactory
from tests.conftest import run_in_threads


def publish(page, **changes):
    for field, value in changes.items():
        setattr(page, field, value)
    page.save_revision().publish()
    page.refresh_from_db()


def numbers(demand) -> list[int]:
    return list(demand.versions.order_by("number").values_list("number", flat=True))


@pytest.mark.django_db
def test_the_first_publish_is_version_one_and_a_save_without_new_wording_is_none(demand):
    assert selectors.demand_version_current(demand=demand) is None
    publish(demand, case=[("paragraph", "<p>Because it failed.</p>")])
    first = selectors.demand_version_current(demand=demand)
    assert (first.number, first.ask, first.agreed_by) == (
        1,
        "Do the right thing.",
        "First published",
    )
    assert first.revision == demand.live_revision
    assert first.case[0]["value"] == "<p>Because it failed.</p>"

    publish(demand, title="A public inquiry, retitled", milestones="50,500")
    assert numbers(demand) == [1]
    publish(demand, ask="Do the right thing now.")
    second = selectors.demand_version_current(demand=demand)
    assert (second.number, second.agreed_by) == (2, "Changed by the hub's editors")


@pytest.mark.django_db
def test_a_first_publish_scheduled_for_later_is_no_version_until_it_goes_live():
    demand = DemandPageFactory(live=False, go_live_at=timezone.now() + dt.timedelta(days=1))
    demand.save_revision().publish()
    assert numbers(demand) == []
    demand.refresh_from_db()
    demand.go_live_at = None
    demand.save_revision().publish()
    assert numbers(demand) == [1]


@pytest.mark.django_db
def test_demand_version_publish_rewords_the_live_page_and_says_how_it_was_agreed(demand):
    publish(demand, case=[("heading", {"text": "Why", "level": "h2"})])
    version = services.demand_version_publish(
        demand=demand, ask=None, case_text="First point.\n\nSecond <point>.",
        agreed_by="Amendment 1 carried by the networks' vote on 1 December 2026",
    )  # fmt: skip
    demand.refresh_from_db()
    assert version.number == 2
    assert version.agreed_by.startswith("Amendment 1 carried")
    assert version.ask == demand.ask == "Do the right thing."
    assert [block.block_type for block in demand.case] == ["paragraph", "paragraph"]
    assert demand.case[1].value.source == "<p>Second &lt;point&gt;.</p>"
    assert version.revision == demand.live_revision

    same = services.demand_version_publish(
        demand=demand, ask="Do the right thing.", case_text=None, agreed_by="Nothing new"
    )
    assert same == version
    assert numbers(demand) == [1, 2]
    with pytest.raises(ValidationError):
        services.demand_version_publish(demand=demand, ask="  ", case_text=None, agreed_by="x")


@pytest.mark.django_db
def test_cosigning_records_the_current_version_and_the_mandate(demand):
    admin = MembershipFactory()
    publish(demand)
    cosignature = services.network_cosignature_create(
        network=admin.network, demand=demand, user=admin.user, mandate="members-meeting",
        decided_on=dt.date(2026, 3, 3), members=1200,
    )  # fmt: skip
    assert cosignature.version.number == 1
    assert (cosignature.mandate, cosignature.decided_on, cosignature.members) == (
        "members-meeting", dt.date(2026, 3, 3), 1200,
    )  # fmt: skip
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="future"):
        services.network_cosignature_create(
            network=admin.network, demand=demand, user=admin.user, mandate="committee",
            decided_on=tomorrow,
        )  # fmt: skip


@pytest.mark.django_db
def test_a_new_version_emails_each_admin_of_outdated_networks_once_until_they_confirm(demand):
    publish(demand)
    outdated = MembershipFactory(user__email="first@example.org")
    MembershipFactory(network=outdated.network, user__email="second@example.org")
    MembershipFactory(network=outdated.network, role="editor", user__email="editor@example.org")
    # An admin of two networks that co-signed the old wording hears once, of both.
    both = MembershipFactory(network=outdated.network, user__email="both@example.org")
    other = MembershipFactory(user=both.user)
    for membership in (outdated, other):
        services.network_cosignature_create(
            network=membership.network, demand=demand, user=membership.user
        )

    services.demand_version_publish(demand=demand, ask="Act now.", case_text=None, agreed_by="x")
    recipients = sorted(
        address for message in OutboxMessage.objects.all() for address in message.to
    )
    assert recipients == ["both@example.org", "first@example.org", "second@example.org"]
    message = OutboxMessage.objects.get(to=["both@example.org"])
    assert other.network.title in message.text and outdated.network.title in message.text
    assert f"{demand.url}history/" in message.text

    outdated_ids = {c.network_id for c in selectors.cosignatures_outdated(
        demand=demand, version=selectors.demand_version_current(demand=demand))}  # fmt: skip
    assert outdated_ids == {outdated.network_id, other.network_id}
    confirmed = services.network_cosignature_confirm(
        network=outdated.network, demand=demand, user=outdated.user, mandate="committee",
        decided_on=timezone.localdate(),
    )  # fmt: skip
    assert confirmed.version.number == 2
    assert confirmed.mandate == "committee"

    OutboxMessage.objects.all().delete()
    services.demand_version_publish(demand=demand, ask="Act today.", case_text=None, agreed_by="x")
    assert sorted(m.to[0] for m in OutboxMessage.objects.all()) == [
        "both@example.org", "first@example.org", "second@example.org",
    ]  # fmt: skip


@pytest.mark.django_db
def test_only_an_admin_confirms_and_only_a_cosignature_it_has(demand):
    from django.core.exceptions import PermissionDenied

    publish(demand)
    admin = MembershipFactory()
    editor = MembershipFactory(network=admin.network, role="editor")
    with pytest.raises(PermissionDenied):
        services.network_cosignature_confirm(
            network=admin.network, demand=demand, user=editor.user, mandate="committee",
            decided_on=timezone.localdate(),
        )  # fmt: skip
    with pytest.raises(ValidationError, match="does not co-sign"):
        services.network_cosignature_confirm(
            network=admin.network, demand=demand, user=admin.user, mandate="committee",
            decided_on=timezone.localdate(),
        )  # fmt: skip


@pytest.mark.django_db
def test_a_platform_is_versioned_when_its_live_demands_or_their_versions_change():
    platform = PlatformPageFactory()
    publish(platform)
    first = DemandPageFactory(parent=platform, live=False, title="First demand")
    second = DemandPageFactory(parent=platform, live=False)
    assert [v.demands for v in platform.versions.all()] == [[]]

    publish(first)
    publish(second)
    publish(first, ask="A new ask.")
    publish(first, title="Retitled only")
    first.unpublish()

    versions = list(PlatformVersion.objects.filter(platform=platform).order_by("number"))
    assert [v.number for v in versions] == [1, 2, 3, 4, 5]
    assert [[(row["demand"], row["version"]) for row in v.demands] for v in versions] == [
        [],
        [(first.pk, 1)],
        [(first.pk, 1), (second.pk, 1)],
        [(first.pk, 2), (second.pk, 1)],
        [(second.pk, 1)],
    ]
    assert versions[1].agreed_by == "“First demand” added"
    assert versions[3].agreed_by.endswith("now at version 2")
    assert versions[4].agreed_by == "“First demand” removed"


# Each publish commits on its own connection; serialized_rollback puts back what the other
# transactional tests expect.
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_publishes_number_versions_without_gaps_or_duplicates():
    demand = DemandPageFactory()
    publish(demand)

    def reword(index):
        page = type(demand).objects.get(pk=demand.pk)
        publish(page, ask=f"Ask number {index}.")

    run_in_threads(6, reword)
    versions = DemandVersion.objects.filter(demand=demand).order_by("number")
    assert [v.number for v in versions] == [1, 2, 3, 4, 5, 6, 7]
    assert sorted(v.ask for v in versions[1:]) == [f"Ask number {n}." for n in range(6)]
