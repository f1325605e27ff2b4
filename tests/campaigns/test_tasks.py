from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from campaigns import selectors, tasks
from campaigns.factories import SignatureFactory
from campaigns.models import DemandTally, Signature

pytestmark = pytest.mark.django_db


def test_the_beat_schedule_runs_every_campaigns_task():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    for name in ["fold_signature_counts", "recount_signatures",
                 "purge_unconfirmed_signatures"]:  # fmt: skip
        assert f"campaigns.tasks.{name}" in scheduled
        assert callable(getattr(tasks, name))
    assert settings.CELERY_BEAT_SCHEDULE["fold-signature-counts"]["schedule"] <= 10


def test_the_tasks_fold_recount_and_purge(demand):
    SignatureFactory.create_batch(3, demand=demand)
    assert tasks.fold_signature_counts.delay().get() == 3
    DemandTally.objects.filter(demand=demand).update(count=5)
    assert tasks.recount_signatures.delay().get() == 2
    assert selectors.demand_count(demand=demand) == 3

    unsent = SignatureFactory(demand=demand, confirmed_at=None)

    Signature.objects.filter(pk=unsent.pk).update(created_at=timezone.now() - timedelta(days=8))
    assert tasks.purge_unconfirmed_signatures.delay().get() == 1
