import time

import pytest

from campaigns import selectors
from campaigns.factories import DemandPageFactory, SignatureFactory
from campaigns.models import DemandTally
from campaigns.tasks import fold_signature_counts

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_fold_task_runs_on_a_real_worker(celery_worker):
    demand = DemandPageFactory()
    SignatureFactory.create_batch(12, demand=demand)
    fold_signature_counts.apply_async(queue=celery_worker)

    deadline = time.monotonic() + 30
    while not DemandTally.objects.filter(demand=demand, count=12).exists():
        assert time.monotonic() < deadline, "the worker never folded the signatures"
        time.sleep(0.2)
    assert selectors.demand_count(demand=demand) == 12
