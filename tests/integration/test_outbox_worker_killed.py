"""A worker killed mid-send: its claim expires and the drain sends the message, once."""

import signal
import threading
import time
from collections import Counter

import pytest
from django.db import transaction
from django.utils import timezone

from hub.emails import email_send
from hub.models import OutboxMessage
from hub.outbox import CLAIM_TIMEOUT
from hub.tasks import drain_outbox
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


def test_a_worker_killed_while_sending_leaves_no_duplicate(
    settings, real_broker, celery_worker_factory
):
    point_celery_at(settings.CELERY_BROKER_URL)
    port = free_port()
    sink, controller = start_sink(port)
    in_flight = threading.Event()

    def stall_the_second(delivered):
        # The second message hangs in SMTP, as on a slow server, until its worker is killed.
        if delivered == 1 and not in_flight.is_set():
            in_flight.set()
            time.sleep(3)

    sink.before_rcpt = stall_the_second
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
