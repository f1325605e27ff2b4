"""Digest runs on a real Celery worker on Redis, into a real SMTP server on loopback."""

import os
import signal
import time
from collections import Counter

import pytest
from django.test import Client
from django.utils import timezone

from digests.factories import MemberPreferencesFactory, SubscriberFactory
from digests.models import DeliveryStatus, DigestDelivery, DigestRun, MemberPreferences
from digests.tasks import start_digest_run
from hub.factories import TopicFactory, UserFactory
from networks.factories import NetworkPageFactory, PositionPageFactory
from tests.conftest import free_port
from tests.hub.smtp_sink import start_sink

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def sink():
    port = free_port()
    sink, controller = start_sink(port)
    sink.port = port
    yield sink
    controller.stop()


def members_following_news(count: int):
    network = NetworkPageFactory(title="Counsellors Against Cuts")
    PositionPageFactory(
        parent=network,
        title="Talking therapies need time",
        summary="Six sessions are not enough.",
        first_published_at=timezone.now(),
    )
    users = UserFactory.create_batch(count)
    for user in users:
        MemberPreferencesFactory(user=user, networks=[network])
    # Off: never selected, even though they follow the same network.
    MemberPreferencesFactory(digest_frequency="off", networks=[network])
    return users


def wait_for(condition, seconds=60, message="timed out"):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.2)


def test_a_run_is_delivered_by_smtp_with_both_parts_and_unsubscribe_headers(
    celery_worker_factory, sink
):
    users = members_following_news(3)
    queue, _worker = celery_worker_factory(TEST_EMAIL_URL=f"smtp://127.0.0.1:{sink.port}")

    start_digest_run.apply_async(kwargs={"frequency": "daily"}, queue=queue)
    wait_for(lambda: len(sink.messages) == 3, message=f"got {len(sink.messages)} digests")
    wait_for(lambda: DigestRun.objects.filter(finished_at__isnull=False).exists())

    assert sorted(sink.recipients()) == sorted(user.email for user in users)
    _rcpt, message = sink.messages[0]
    assert "daily digest" in message["Subject"]
    # A long header is folded onto a continuation line; unfolded it is one <URL>.
    unsubscribe = str(message["List-Unsubscribe"]).strip()
    assert unsubscribe.startswith("<http://testserver/preferences/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    for part in (text, html):
        assert "Talking therapies need time" in part
        assert "Counsellors Against Cuts" in part
        assert unsubscribe.strip("<>") in part
    assert "<a href=" in html and "<a href=" not in text
    run = DigestRun.objects.get()
    assert (run.recipients, run.sent, run.skipped_empty, run.failed) == (3, 3, 0, 0)


def test_a_weekly_run_reaches_a_confirmed_subscriber_who_can_unsubscribe_in_one_click(
    celery_worker_factory, sink
):
    network = NetworkPageFactory(title="Peer Support Cymru")
    topic = TopicFactory(name="Peer support")
    position = PositionPageFactory(
        parent=network, title="Peers belong in every team", first_published_at=timezone.now()
    )
    position.topics.set([topic])
    position.save()
    member = MemberPreferencesFactory(digest_frequency="weekly", networks=[network]).user
    subscriber = SubscriberFactory(email="no-account@example.org", topics=[topic])
    SubscriberFactory(email="not-confirmed@example.org", topics=[topic], confirmed_at=None)
    queue, _worker = celery_worker_factory(TEST_EMAIL_URL=f"smtp://127.0.0.1:{sink.port}")

    start_digest_run.apply_async(kwargs={"frequency": "weekly"}, queue=queue)
    wait_for(lambda: DigestRun.objects.filter(finished_at__isnull=False).exists())

    assert sorted(sink.recipients()) == sorted([member.email, subscriber.email])
    (message,) = [m for rcpt, m in sink.messages if rcpt == subscriber.email]
    assert "weekly digest" in message["Subject"]
    assert "Peers belong in every team" in message.get_body(("plain",)).get_content()
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = "".join(str(message["List-Unsubscribe"]).split()).strip("<>")
    response = Client(enforce_csrf_checks=True).post(
        unsubscribe.removeprefix("http://testserver"), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert not MemberPreferences.objects.filter(email="no-account@example.org").exists()


def test_the_same_period_twice_sends_nothing_the_second_time(celery_worker_factory, sink):
    members_following_news(2)
    queue, _worker = celery_worker_factory(TEST_EMAIL_URL=f"smtp://127.0.0.1:{sink.port}")

    start_digest_run.apply_async(kwargs={"frequency": "daily"}, queue=queue)
    wait_for(lambda: DigestRun.objects.filter(finished_at__isnull=False).count() == 1)
    start_digest_run.apply_async(kwargs={"frequency": "daily"}, queue=queue)
    wait_for(lambda: DigestRun.objects.filter(finished_at__isnull=False).count() == 2)
    time.sleep(1)

    assert len(sink.messages) == 2
    second = DigestRun.objects.latest()
    assert (second.recipients, second.sent) == (0, 0)


def test_a_worker_killed_mid_run_then_a_new_one_every_member_gets_exactly_one(
    celery_worker_factory, sink
):
    users = members_following_news(250)
    env = {
        "TEST_EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
        "DIGEST_CLAIM_TIMEOUT": "2",
        "DIGEST_BATCH_SIZE": "100",
    }
    queue, first = celery_worker_factory(**env)

    def kill_in_the_middle(received):
        # The worker dies waiting for the server, between claiming and sending.
        if received == 120 and first.poll() is None:
            os.kill(first.pid, signal.SIGKILL)

    sink.before_rcpt = kill_in_the_middle
    start_digest_run.apply_async(kwargs={"frequency": "daily"}, queue=queue)
    wait_for(lambda: first.poll() is not None, message="the worker was never killed")
    sink.before_rcpt = None
    assert len(sink.messages) == 120

    celery_worker_factory(queue=queue, **env)
    time.sleep(2.5)  # the dead worker's claims go stale
    # The next run (beat again) picks up everyone missed: those whose claim the dead worker held
    # and those in batches it had taken from Redis but never ran.
    start_digest_run.apply_async(kwargs={"frequency": "daily"}, queue=queue)
    wait_for(lambda: len(sink.messages) >= 250, message=f"{len(sink.messages)} sent")
    wait_for(lambda: DigestRun.objects.filter(finished_at__isnull=False).exists())
    time.sleep(1)

    received = Counter(sink.recipients())
    assert set(received) == {user.email for user in users}
    assert set(received.values()) == {1}
    assert DigestDelivery.objects.filter(status=DeliveryStatus.SENT).count() == 250
