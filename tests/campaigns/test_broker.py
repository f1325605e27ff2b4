import json
import time
from base64 import b64decode
from datetime import timedelta

import pytest
import redis
from django.conf import settings
from django.utils import timezone

from campaigns import services
from campaigns.models import Signature
from tests.conftest import point_celery_at

from .conftest import sign_data

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db]

DEAD_BROKER = "redis://127.0.0.1:1/0"


def queued_recipients(client: redis.Redis, queue: str) -> list[list[str]]:
    recipients = []
    for raw in client.lrange(queue, 0, -1):
        body = json.loads(b64decode(json.loads(raw)["body"]))
        recipients.append(body[1]["to"])
    return recipients


def test_a_broker_outage_loses_no_signature_and_the_sweep_sends_exactly_one_email(
    client, demand, real_broker, django_capture_on_commit_callbacks
):
    point_celery_at(DEAD_BROKER)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(demand.url, sign_data(email="outage@gmail.com"))
    assert time.monotonic() - started < 10, "signing must not hang on a dead broker"
    assert response.status_code == 200
    assert "Check your email" in response.content.decode()
    signature = Signature.objects.get()
    assert signature.confirmation_sent_at is None, "not marked sent: the broker never took it"
    assert signature.confirmation_claimed_at is None, "released for the next sweep"

    queue = f"test-outage-{signature.pk}-{int(time.time())}"
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    try:
        assert services.signature_confirmation_sweep(queue=queue) == 0, "the broker is down"
        assert Signature.objects.get().confirmation_claimed_at is None
        point_celery_at(settings.CELERY_BROKER_URL)

        assert services.signature_confirmation_sweep(queue=queue) == 1
        assert services.signature_confirmation_sweep(queue=queue) == 0
        Signature.objects.update(confirmation_claimed_at=timezone.now() - timedelta(minutes=3))
        assert services.signature_confirmation_sweep(queue=queue) == 0, "sent is sent"

        assert queued_recipients(broker, queue) == [["outage@gmail.com"]]
        signature.refresh_from_db()
        assert signature.confirmation_sent_at is not None
    finally:
        broker.delete(queue)
