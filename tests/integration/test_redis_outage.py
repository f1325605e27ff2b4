"""Degraded, not dead: a real redis-server (cache and broker) stopped under traffic, then
started again on the same port, with a real worker and a real SMTP server throughout."""

import subprocess
import time
from collections import Counter
from contextlib import suppress

import pytest
from django.test import Client

from campaigns.factories import DemandPageFactory
from campaigns.models import Signature
from config.celery import app
from events.factories import EventPageFactory
from events.models import Rsvp
from hub.models import OutboxMessage
from hub.tasks import drain_outbox
from tests.campaigns.conftest import sign_data
from tests.conftest import free_port, point_celery_at, redis_answers
from tests.hub.smtp_sink import start_sink

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class RedisServer:
    """A redis-server of the test's own, on a free port, stopped and started at will."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(lambda: redis_answers(self.url(0)), "redis-server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        assert not redis_answers(self.url(0))


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


def wait_for(condition, message, timeout=60):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.3)


def worker_answers() -> bool:
    # The test's own connections to the old server are broken until kombu notices.
    with suppress(Exception):
        return bool(app.control.ping(timeout=1))
    return False


class Visitors:
    """Anonymous traffic: each visitor from an address of their own, with no cookies kept."""

    def __init__(self, demand, event):
        self.demand, self.event, self.count = demand, event, 0
        self.pages = ["/", demand.url, event.url, "/events/", "/accounts/login/", "/topics/",
                      "/search/?query=inquiry", "/events/calendar.ics"]  # fmt: skip

    def _client(self):
        self.count += 1
        return Client(REMOTE_ADDR=f"198.51.100.{self.count}")

    def read(self):
        statuses = {page: self._client().get(page).status_code for page in self.pages}
        assert set(statuses.values()) == {200}, statuses

    def sign(self, email):
        response = self._client().post(self.demand.url, sign_data(email=email))
        assert response.status_code == 200
        assert "Check your email" in response.content.decode()

    def rsvp(self, email):
        response = self._client().post(
            f"/event-links/{self.event.pk}/rsvp/", {"name": "A", "email": email}
        )
        assert response.status_code == 302


def test_with_redis_stopped_pages_render_rows_are_stored_and_every_email_goes_once_it_is_back(
    redis_server, settings, real_broker, celery_worker_factory
):
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": redis_server.url(0)}}
    point_celery_at(redis_server.url(1))
    sink_port = free_port()
    sink, controller = start_sink(sink_port)
    _queue, worker = celery_worker_factory(
        queue="celery",
        REDIS_URL=redis_server.url(1),
        TEST_EMAIL_URL=f"smtp://127.0.0.1:{sink_port}",
    )
    visitors = Visitors(DemandPageFactory(), EventPageFactory(in_person_capacity=100))
    signers = [f"signer.{n}@gmail.com" for n in range(8)]
    attendees = [f"attendee{n}@example.org" for n in range(8)]
    client = Client()
    try:
        visitors.read()
        for email in signers[:3]:
            visitors.sign(email)
        for email in attendees[:3]:
            visitors.rsvp(email)
        wait_for(lambda: len(sink.messages) == 6, f"{sink.recipients()} before the outage")
        assert client.get("/readyz/").status_code == 200

        redis_server.stop()
        started = time.monotonic()
        for index in range(3, 8):
            visitors.read()
            visitors.sign(signers[index])
            visitors.rsvp(attendees[index])
        assert time.monotonic() - started < 60, "an outage must not make every request wait"
        ready = client.get("/readyz/")
        assert ready.status_code == 503
        assert ready.json() == {"database": "ok", "cache": "down", "broker": "down"}
        assert client.get("/healthz/").status_code == 200

        assert sorted(Signature.objects.values_list("email", flat=True)) == sorted(signers)
        assert sorted(Rsvp.objects.values_list("email", flat=True)) == sorted(attendees)
        assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 10
        assert len(sink.messages) == 6
        time.sleep(3)
        assert worker.poll() is None, "the worker waits for the broker to come back"

        redis_server.start()
        wait_for(worker_answers, "the worker never reconnected")

        deadline = time.monotonic() + 90
        while len(sink.messages) < 16:
            assert time.monotonic() < deadline, f"{sink.recipients()} after the outage"
            # What beat sends every minute, sent here every few seconds; a publish on one of
            # the connections broken by the outage fails once, as beat's would.
            with suppress(Exception):
                drain_outbox.delay()
            time.sleep(3)
        time.sleep(2)  # anything sent twice would arrive by now
        assert Counter(sink.recipients()) == Counter(signers + attendees)
        assert client.get("/readyz/").status_code == 200
    finally:
        controller.stop()
