"""The digest's tables moved from hub to digests with their rows, permissions and history."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from digests.models import DigestDelivery, DigestRun, MemberPreferences
from hub.models import Topic
from tests.networks.conftest import verified_user

BEFORE = [("hub", "0011_outbox"), ("digests", None)]


def tables() -> set[str]:
    return {
        name
        for name in connection.introspection.table_names()
        if "memberpreferences" in name or "digest" in name
    }


# Migrations run outside the test's transaction; serialized_rollback restores the rows the
# other transactional tests expect (the home page, content types) afterwards.
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_back_and_forth_keeps_every_row_and_permission():
    member = verified_user("member@example.org")
    preferences = MemberPreferences.objects.create(user=member, digest_frequency="weekly")
    preferences.topics.add(Topic.objects.create(name="Waiting lists", slug="waiting-lists"))
    run = DigestRun.objects.create(frequency="weekly", period="2026-W48")
    DigestDelivery.objects.create(
        preferences=preferences, period="weekly:2026-W48", run=run, status="sent",
        claimed_at=timezone.now(),
    )  # fmt: skip
    readers = Group.objects.create(name="Digest readers")
    readers.permissions.add(Permission.objects.get(codename="view_digestrun"))

    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE)
        assert tables() == {
            "hub_memberpreferences", "hub_memberpreferences_networks",
            "hub_memberpreferences_topics", "hub_memberpreferences_regions",
            "hub_digestrun", "hub_digestdelivery",
        }  # fmt: skip
        assert set(
            ContentType.objects.filter(model__in=["digestrun", "memberpreferences"]).values_list(
                "app_label", flat=True
            )
        ) == {"hub"}
    finally:
        executor.loader.build_graph()
        executor.migrate(latest)

    assert all(name.startswith("digests_") for name in tables())
    preferences = MemberPreferences.objects.get()
    assert [topic.slug for topic in preferences.topics.all()] == ["waiting-lists"]
    assert DigestDelivery.objects.get().run == DigestRun.objects.get()
    assert list(readers.permissions.values_list("content_type__app_label", "codename")) == [
        ("digests", "view_digestrun")
    ]
    assert not ContentType.objects.filter(app_label="hub", model="digestrun").exists()
    # The moved tables' sequences still hand out fresh keys.
    assert DigestRun.objects.create(frequency="daily", period="2026-12-01").pk > run.pk
