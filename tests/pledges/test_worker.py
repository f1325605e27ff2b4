"""A pledge's outcome told by a real Celery worker on Redis, into a real SMTP server on loopback:
every confirmed pledger exactly once, unconfirmed ones never."""

import datetime
import time
from collections import Counter

import pytest
from django.utils import timezone

from pledges import services
from pledges.factories import PledgeFactory, PledgerFactory
from pledges.models import PledgeStatus
from pledges.tasks import sweep_pledges
from tests.conftest import free_port
from tests.hub.smtp_sink import start_sink

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The worker takes the default queue: the tasks the site publishes (the announcement, then the
# outbox's batches) go there, as in production.
QUEUE = "celery"


@pytest.fixture
def sink():
    port = free_port()
    sink, controller = start_sink(port)
    sink.port = port
    yield sink
    controller.stop()


@pytest.fixture
def worker(celery_worker_factory, sink):
    queue, _process = celery_worker_factory(
        queue=QUEUE, TEST_EMAIL_URL=f"smtp://127.0.0.1:{sink.port}"
    )
    return queue


def received(sink, subject_start: str) -> Counter:
    with sink.lock:
        return Counter(
            rcpt for rcpt, message in sink.messages if message["Subject"].startswith(subject_start)
        )


def wait_for(condition, seconds=60, message="timed out"):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.2)


def settle(sink, seconds=3):
    """Wait until nothing more arrives for a while: a second copy would have come by then."""
    count = -1
    while count != len(sink.messages):
        count = len(sink.messages)
        time.sleep(seconds)


def test_a_pledge_reaching_its_threshold_emails_every_confirmed_pledger_exactly_once(worker, sink):
    pledge = PledgeFactory(threshold=3, allow_contact=True, next_steps="Meet at the gate at 8.")
    never = PledgerFactory(pledge=pledge, email="unconfirmed@example.org", confirmed_at=None)
    pledgers = [
        PledgerFactory(pledge=pledge, email=f"p{n}@example.org", confirmed_at=None)
        for n in range(3)
    ]
    for pledger in pledgers:
        services.pledger_confirm(
            pledger=pledger, name=pledger.name, kind="worker", show_name=False, contactable=True
        )
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.BOUND

    wait_for(lambda: len(received(sink, "It binds")) == 3, message=f"got {sink.recipients()}")
    sweep_pledges.apply_async(queue=worker)
    settle(sink)
    counts = received(sink, "It binds")
    assert counts == Counter({f"p{n}@example.org": 1 for n in range(3)})
    assert never.email not in sink.recipients()
    _rcpt, message = next((r, m) for r, m in sink.messages if r == "p0@example.org")
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "It binds: 3 people pledged" in text and "Meet at the gate at 8." in text
    assert "/pledges/write/" in text and "/pledges/withdraw/" in text
    assert message["Reply-To"] is None


def test_a_deadline_passing_unmet_emails_every_confirmed_pledger_that_it_does_not_bind(
    worker, sink
):
    pledge = PledgeFactory(threshold=10, deadline=timezone.localdate() - datetime.timedelta(1))
    PledgerFactory.create_batch(4, pledge=pledge)
    never = PledgerFactory(pledge=pledge, email="unconfirmed@example.org", confirmed_at=None)

    sweep_pledges.apply_async(queue=worker)
    sweep_pledges.apply_async(queue=worker)
    wait_for(lambda: len(received(sink, "It does not bind")) == 4)
    settle(sink)
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.LAPSED
    assert set(received(sink, "It does not bind").values()) == {1}
    assert not received(sink, "It binds")
    assert never.email not in sink.recipients()
