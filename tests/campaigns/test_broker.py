import time

import pytest
from django.conf import settings
from django.core import mail

from campaigns.models import Signature
from hub.outbox import outbox_drain
from tests.conftest import point_celery_at

from .conftest import sign_data

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db]

DEAD_BROKER = "redis://127.0.0.1:1/0"


def test_a_broker_outage_loses_no_signature_and_the_drain_sends_exactly_one_email(
    client, demand, real_broker, django_capture_on_commit_callbacks
):
    point_celery_at(DEAD_BROKER)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(demand.url, sign_data(email="outage@gmail.com"))
    assert time.monotonic() - started < 10, "signing must not hang on a dead broker"
    assert response.status_code == 200
    assert "Check your email" in response.content.decode()
    signature = Signature.objects.select_related("confirmation_message").get()
    assert signature.confirmation_message.sent_at is None, "waits in the outbox"

    point_celery_at(settings.CELERY_BROKER_URL)
    assert outbox_drain() == 1
    assert outbox_drain() == 0, "sent is sent"
    assert [message.to for message in mail.outbox] == [["outage@gmail.com"]]
