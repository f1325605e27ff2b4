"""campaigns 0006: demands and platforms published before versions existed get version 1."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from campaigns.factories import DemandPageFactory, PlatformPageFactory
from campaigns.models import DemandVersion, NetworkCoSignature, PlatformVersion
from networks.factories import NetworkPageFactory

BEFORE = [("campaigns", "0005_versions_and_mandates")]


# Migrations run outside the test's transaction; serialized_rollback restores the rows the
# other transactional tests expect (the home page, content types) afterwards.
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_published_demands_and_platforms_get_version_one_with_their_cosignatures():
    first_published = timezone.now() - dt.timedelta(days=90)
    platform = PlatformPageFactory(first_published_at=first_published)
    demand = DemandPageFactory(
        parent=platform, ask="Hold an inquiry.", first_published_at=first_published,
        case=[("paragraph", "<p>It failed people.</p>")],
    )  # fmt: skip
    draft = DemandPageFactory(parent=platform, live=False)
    cosignature = NetworkCoSignature.objects.create(network=NetworkPageFactory(), demand=demand)
    # Factories publish nothing, so nothing has a version yet: as before 0006.
    assert not DemandVersion.objects.exists()

    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE)
    finally:
        executor.loader.build_graph()
        executor.migrate(latest)

    version = DemandVersion.objects.get()
    assert (version.demand_id, version.number, version.ask, version.agreed_by) == (
        demand.pk, 1, "Hold an inquiry.", "First published",
    )  # fmt: skip
    assert version.published_at == first_published
    assert version.case[0]["type"] == "paragraph"
    assert version.case[0]["value"] == "<p>It failed people.</p>"
    assert not DemandVersion.objects.filter(demand=draft).exists()
    cosignature.refresh_from_db()
    assert cosignature.version == version

    platform_version = PlatformVersion.objects.get()
    assert platform_version.platform_id == platform.pk
    assert platform_version.demands == [{"demand": demand.pk, "title": demand.title, "version": 1}]
    assert platform_version.published_at == first_published

    moderators = Group.objects.get(name="Moderators")
    assert set(
        moderators.permissions.filter(content_type__app_label="campaigns").values_list(
            "codename", flat=True
        )
    ) >= {"view_demandversion", "view_platformversion"}
    assert not moderators.permissions.filter(codename="change_demandversion").exists()
