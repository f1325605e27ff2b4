"""The outbox (hub.outbox): every email is a row first, sent once, retried, never lost."""

import socket
import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from hub import outbox
from hub.emails import email_send
from hub.factories import UserFactory
from hub.models import OutboxMessage
from tests.conftest import point_celery_at, run_in_threads

from .smtp_sink import start_sink

DEAD_BROKER = "redis://127.0.0.1:1/0"
MESSAGE = {
    "to": ["ada@example.org"],
    "subject": "Your place",
    "text": "See you there.",
    "html": "<p>See you there.</p>",
    "headers": {"List-Unsubscribe": "<https://example.org/u/1/>"},
}


def make_due(**fields) -> None:
    OutboxMessage.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1), **fields)


def drained_into_sink(port: int):
    """Start an SMTP sink on `port`, send the one message waiting, and stop the sink."""
    sink, controller = start_sink(port)
    try:
        make_due()
        assert outbox.outbox_drain() == 1
    finally:
        controller.stop()
    return sink


@pytest.mark.django_db
def test_without_a_broker_the_email_is_stored_and_sent_in_process(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        email_send(**MESSAGE)
        assert mail.outbox == [], "nothing goes before the commit"

    [sent] = mail.outbox
    assert (sent.to, sent.subject, sent.body) == (MESSAGE["to"], "Your place", "See you there.")
    assert sent.alternatives[0].content == "<p>See you there.</p>"
    assert sent.extra_headers == MESSAGE["headers"]
    row = OutboxMessage.objects.get()
    assert row.sent_at is not None
    assert outbox.outbox_drain() == 0, "sent is sent"
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_rolled_back_change_stores_and_sends_nothing(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        email_send(**MESSAGE)
        raise RuntimeError
    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


@pytest.mark.redis
@pytest.mark.django_db
def test_a_refusing_broker_keeps_the_email_and_the_drain_sends_it_once(
    real_broker, django_capture_on_commit_callbacks
):
    point_celery_at(DEAD_BROKER)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        email_send(**MESSAGE)
    assert time.monotonic() - started < 3, "a dead broker must not hold the request"
    row = OutboxMessage.objects.get()
    assert row.sent_at is None and row.claimed_at is None
    assert mail.outbox == []

    assert outbox.outbox_drain() == 1
    assert outbox.outbox_drain() == 0
    assert [message.to for message in mail.outbox] == [MESSAGE["to"]]


@pytest.fixture
def hung_broker():
    """A server that accepts connections and never answers, as a Redis that hangs does."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"


@pytest.mark.redis
@pytest.mark.django_db
def test_a_hung_broker_costs_one_request_a_few_seconds_and_the_next_none(
    real_broker, hung_broker, django_capture_on_commit_callbacks
):
    point_celery_at(hung_broker)
    timings = []
    for _ in range(2):
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            email_send(**MESSAGE)
        timings.append(time.monotonic() - started)
    assert timings[0] < 6, "socket timeouts bound the first try"
    assert timings[1] < 0.5, "the next request does not try again at once"
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_message_is_claimed_once_however_many_try_at_the_same_moment():
    OutboxMessage.objects.create(**MESSAGE)
    pk = OutboxMessage.objects.get().pk
    results = []
    run_in_threads(8, lambda _index: results.append(outbox.outbox_message_send(message_id=pk)))
    assert sorted(results) == [False] * 7 + [True]
    assert len(mail.outbox) == 1

    # A claim left by a worker that died is taken over, but only once it has expired.
    OutboxMessage.objects.update(sent_at=None, claimed_at=timezone.now())
    assert not outbox.outbox_message_send(message_id=pk)
    OutboxMessage.objects.update(claimed_at=timezone.now() - outbox.CLAIM_TIMEOUT * 2)
    assert outbox.outbox_drain() == 1


@pytest.mark.django_db
def test_an_smtp_failure_is_retried_with_backoff_until_the_server_answers(smtp_port):
    OutboxMessage.objects.create(**MESSAGE)
    assert outbox.outbox_drain() == 0
    row = OutboxMessage.objects.get()
    assert (row.attempts, row.claimed_at, row.sent_at, row.failed_at) == (1, None, None, None)
    assert "Connection refused" in row.last_error or "Errno" in row.last_error
    wait = row.next_attempt_at - timezone.now()
    assert timedelta(seconds=25) < wait <= timedelta(seconds=30)
    assert outbox.outbox_drain() == 0, "not before its time"
    assert OutboxMessage.objects.get().attempts == 1

    make_due()
    outbox.outbox_drain()
    row = OutboxMessage.objects.get()
    assert row.attempts == 2
    assert timedelta(seconds=55) < row.next_attempt_at - timezone.now() <= timedelta(seconds=60)
    assert outbox.outbox_backoff(7) == timedelta(minutes=30), "capped"

    sink = drained_into_sink(smtp_port)
    assert sink.recipients() == MESSAGE["to"]
    row = OutboxMessage.objects.get()
    assert row.sent_at is not None and row.last_error == ""


@pytest.mark.django_db
def test_after_the_last_attempt_the_message_is_marked_failed_and_left(smtp_port):
    OutboxMessage.objects.create(**MESSAGE, attempts=outbox.MAX_ATTEMPTS - 1)
    assert outbox.outbox_drain() == 0
    row = OutboxMessage.objects.get()
    assert row.attempts == outbox.MAX_ATTEMPTS
    assert row.failed_at is not None and row.sent_at is None
    make_due()
    assert outbox.outbox_drain() == 0
    assert OutboxMessage.objects.get().attempts == outbox.MAX_ATTEMPTS


@pytest.mark.django_db
def test_sent_and_failed_messages_are_purged_after_they_are_kept():
    now = timezone.now()
    kept = [
        OutboxMessage.objects.create(**MESSAGE),
        OutboxMessage.objects.create(**MESSAGE, sent_at=now - outbox.KEEP_SENT / 2),
        OutboxMessage.objects.create(**MESSAGE, failed_at=now - outbox.KEEP_SENT * 2),
    ]
    OutboxMessage.objects.create(**MESSAGE, sent_at=now - outbox.KEEP_SENT * 2)
    OutboxMessage.objects.create(**MESSAGE, failed_at=now - outbox.KEEP_FAILED * 2)
    assert outbox.outbox_purge() == 2
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {row.pk for row in kept}


@pytest.mark.django_db
def test_moderators_see_undelivered_email_and_editors_do_not(client):
    OutboxMessage.objects.create(**{**MESSAGE, "to": ["waiting@example.org"]})
    OutboxMessage.objects.create(
        **{**MESSAGE, "to": ["given-up@example.org"]},
        attempts=outbox.MAX_ATTEMPTS,
        failed_at=timezone.now(),
        last_error="SMTPRecipientsRefused()",
    )
    OutboxMessage.objects.create(**{**MESSAGE, "to": ["sent@example.org"]}, sent_at=timezone.now())
    url = reverse("hub_undelivered_email")
    client.force_login(UserFactory(is_staff=True))
    assert client.get(url).status_code in (302, 403), "an editor who is not a moderator"
    assert b"Undelivered email" not in client.get(reverse("wagtailadmin_home")).content

    moderator = UserFactory()
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(moderator)
    listing = client.get(url).content.decode()
    assert "waiting@example.org" in listing and "given-up@example.org" in listing
    assert "SMTPRecipientsRefused()" in listing
    assert "sent@example.org" not in listing
    assert "Undelivered email" in client.get(reverse("wagtailadmin_home")).content.decode()


CALENDAR = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"


@pytest.mark.django_db
def test_attachments_wait_in_the_row_and_go_with_the_message(smtp_port):
    attachment = {"filename": "event.ics", "content": CALENDAR, "mimetype": "text/calendar"}
    email_send(**MESSAGE, attachments=[attachment])
    row = OutboxMessage.objects.get()
    assert row.attachments == [attachment]
    assert row.sent_at is None, "no server yet: the row waits, its attachment with it"
    ((_rcpt, message),) = drained_into_sink(smtp_port).messages
    (part,) = list(message.iter_attachments())
    assert (part.get_filename(), part.get_content_type()) == ("event.ics", "text/calendar")
    assert part.get_content().replace("\r\n", "\n") == CALENDAR.replace("\r\n", "\n")
    assert message.get_body(("plain",)).get_content().strip() == "See you there."


@pytest.mark.django_db
def test_attachments_are_small_files_only():
    big = {"filename": "big.ics", "content": "x" * (outbox.ATTACHMENTS_MAX_CHARS + 1),
           "mimetype": "text/calendar"}  # fmt: skip
    with pytest.raises(ValueError, match="small"):
        email_send(**MESSAGE, attachments=[big])
    with pytest.raises(ValueError, match="small"):
        outbox.outbox_messages_claimed([{**MESSAGE, "attachments": [big]}])
    assert not OutboxMessage.objects.exists()
