"""A worker killed mid-send, of one email or of a digest batch: its claims expire and the drain
sends each unsent message, once."""

import signal
import threading
import time
from collections import Counter

import pytest
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from digests.factories import MemberPreferencesFactory
from digests.models import DeliveryStatus, DigestDelivery, DigestRun, MemberPreferences
from digests.tasks import send_digest_batch, start_digest_run
from hub.emails import email_send
from hub.factories import UserFactory
from hub.models import OutboxMessage
from hub.outbox import CLAIM_TIMEOUT
from hub.tasks import drain_outbox
from networks.factories import NetworkPageFactory, PositionPageFactory
from tests.conftest import free_port, point_celery_at
from tests.hub.smtp_sink import start_sink

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    # A transactional test must restore the migrated rows, or the next one that restores them
    # clashes with the content types the flush recreated.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def wait_for(condition, message, timeout=60):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.2)


def stall_after(sink, *, delivered: int) -> threading.Event:
    """The message after the first `delivered` hangs in SMTP, as on a slow server, until its
    worker is killed; the event is set when it starts."""
    in_flight = threading.Event()

    def stall(received):
        if received == delivered and not in_flight.is_set():
            in_flight.set()
            time.sleep(3)

    sink.before_rcpt = stall
    return in_flight


def test_a_worker_killed_while_sending_leaves_no_duplicate(
    settings, real_broker, celery_worker_factory
):
    point_celery_at(settings.CELERY_BROKER_URL)
    port = free_port()
    sink, controller = start_sink(port)
    in_flight = stall_after(sink, delivered=1)
    email_url = f"smtp://127.0.0.1:{port}"
    try:
        _queue, first = celery_worker_factory(queue="celery", TEST_EMAIL_URL=email_url)
        recipients = [f"reader{n}@example.org" for n in range(4)]
        for recipient in recipients:
            with transaction.atomic():
                email_send(to=[recipient], subject="Hello", text="Hello")
            if recipient == recipients[0]:
                wait_for(lambda: len(sink.messages) == 1, "the first was never sent")
        wait_for(in_flight.is_set, "the second send never started")
        first.send_signal(signal.SIGKILL)
        first.wait(10)

        claimed = OutboxMessage.objects.filter(claimed_at__isnull=False, sent_at__isnull=True)
        assert claimed.count() == 1, "the killed worker's claim is left behind"
        _queue, second = celery_worker_factory(queue="celery", TEST_EMAIL_URL=email_url)
        # Waiting out the claim: the drain takes nothing a live worker may still hold.
        drain_outbox.delay()
        time.sleep(3)
        assert claimed.count() == 1
        claimed.update(claimed_at=timezone.now() - CLAIM_TIMEOUT)
        deadline = time.monotonic() + 60
        while OutboxMessage.objects.filter(sent_at__isnull=True).exists():
            assert time.monotonic() < deadline, sink.recipients()
            drain_outbox.delay()
            time.sleep(2)
        time.sleep(2)  # anything sent twice would arrive by now
        assert Counter(sink.recipients()) == Counter(recipients)
    finally:
        controller.stop()


def test_a_worker_killed_mid_digest_batch_leaves_no_duplicate(
    settings, real_broker, celery_worker_factory
):
    """The batch's digests are outbox rows, claimed by the worker that sends them: killed, it
    leaves its deliveries marked, so neither the redelivered batch nor the next run builds them
    again, and the drain sends each unsent one once when the claims expire."""
    point_celery_at(settings.CELERY_BROKER_URL)
    network = NetworkPageFactory()
    PositionPageFactory(parent=network, first_published_at=timezone.now())
    users = UserFactory.create_batch(6)
    for user in users:
        MemberPreferencesFactory(user=user, networks=[network])
    port = free_port()
    sink, controller = start_sink(port)
    in_flight = stall_after(sink, delivered=2)
    email_url = f"smtp://127.0.0.1:{port}"
    try:
        queue, first = celery_worker_factory(TEST_EMAIL_URL=email_url)
        start_digest_run.apply_async(kwargs={"frequency": "daily"}, queue=queue)
        wait_for(in_flight.is_set, "the third digest was never started")
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        killed_at = timezone.now()
        sink.before_rcpt = None

        run = DigestRun.objects.get()
        assert len(sink.messages) == 2
        assert set(DigestDelivery.objects.values_list("status", flat=True)) == {
            DeliveryStatus.SENT
        }, "every digest of the batch is in the outbox"
        claimed = OutboxMessage.objects.filter(claimed_at__isnull=False, sent_at__isnull=True)
        assert claimed.count() == 4, "the one in flight and the three after it"

        _queue, second = celery_worker_factory(queue=queue, TEST_EMAIL_URL=email_url)
        # The broker hands the dead worker's batch to another, and beat starts the run again.
        send_digest_batch.apply_async(
            kwargs={"run_id": run.pk, "member_ids": list(
                MemberPreferences.objects.order_by("pk").values_list("pk", flat=True))},
            queue=queue,
        )  # fmt: skip
        start_digest_run.apply_async(kwargs={"frequency": "daily"}, queue=queue)
        drain_outbox.apply_async(queue=queue)
        wait_for(lambda: DigestRun.objects.filter(finished_at__isnull=False).count() == 2,
                 "the second run never finished")  # fmt: skip
        time.sleep(2)
        assert len(sink.messages) == 2, "nothing a dead worker may still hold"
        assert claimed.count() == 4

        claimed.filter(claimed_at__lt=killed_at).update(claimed_at=F("claimed_at") - CLAIM_TIMEOUT)
        drain_outbox.apply_async(queue=queue)
        wait_for(lambda: len(sink.messages) >= 6, f"{len(sink.messages)} digests sent")
        time.sleep(2)  # anything sent twice would arrive by now
        assert Counter(sink.recipients()) == Counter(user.email for user in users)
        run.refresh_from_db()
        assert (run.recipients, run.sent, run.skipped_empty, run.failed) == (6, 6, 0, 0)
        assert run.batches_pending == 0 and run.finished_at is not None
        assert DigestRun.objects.latest().recipients == 0
    finally:
        controller.stop()
