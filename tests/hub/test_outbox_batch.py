"""The outbox's batch path (digests): rows written claimed in one INSERT, then sent by their
writer over one connection, each marked as it goes; what does not go is the drain's."""

from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.utils import timezone

from hub import outbox
from hub.models import OutboxMessage

from .smtp_sink import Sink, start_sink

pytestmark = pytest.mark.django_db


def messages(*addresses):
    return [{"to": [address], "subject": "Digest", "text": "News"} for address in addresses]


class RefusingSink(Sink):
    """Refuses addresses at gone.example, as a server does a mailbox that no longer exists."""

    def __init__(self):
        super().__init__()
        self.sessions = set()  # client (host, port) pairs

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.sessions.add(session.peer)  # a connection each
        if address.endswith("@gone.example"):
            return "550 5.1.1 No such user"
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)


def test_written_claimed_so_no_drain_takes_them_before_their_writer_sends_them():
    rows = outbox.outbox_messages_claimed(messages("a@example.org", "b@example.org"))
    assert all(row.pk and row.claimed_at for row in rows)
    assert outbox.outbox_drain() == 0
    assert outbox.outbox_messages_send(rows) == {}
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()


def test_a_refused_address_is_retried_later_and_the_rest_go_on_over_one_connection(smtp_port):
    sink = RefusingSink()
    controller = Controller(sink, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        rows = outbox.outbox_messages_claimed(
            messages("a@example.org", "x@gone.example", "b@example.org")
        )
        errors = outbox.outbox_messages_send(rows)
    finally:
        controller.stop()
    assert list(errors) == [rows[1].pk]
    assert sink.recipients() == ["a@example.org", "b@example.org"]
    assert len(sink.sessions) == 1, "one connection for the batch"
    refused = OutboxMessage.objects.get(pk=rows[1].pk)
    assert (refused.attempts, refused.claimed_at, refused.sent_at) == (1, None, None)
    assert refused.next_attempt_at > timezone.now() and "No such user" in refused.last_error


def test_when_the_connection_fails_the_rest_are_let_go_for_the_drain(smtp_port):
    rows = outbox.outbox_messages_claimed(messages("a@example.org", "b@example.org"))
    errors = outbox.outbox_messages_send(rows)  # nothing listens on the port yet
    assert list(errors) == [rows[0].pk]
    first, second = OutboxMessage.objects.order_by("pk")
    assert (first.attempts, first.claimed_at) == (1, None)
    assert first.next_attempt_at > timezone.now(), "after a backoff"
    assert (second.attempts, second.claimed_at) == (0, None), "not tried, not held"

    sink, controller = start_sink(smtp_port)
    try:
        assert outbox.outbox_drain() == 1
    finally:
        controller.stop()
    assert sink.recipients() == ["b@example.org"]


def test_a_slow_batch_renews_its_claims_and_sends_none_another_worker_took_over():
    rows = outbox.outbox_messages_claimed(messages("a@example.org", "b@example.org"))
    long_ago = timezone.now() - outbox.CLAIM_TIMEOUT / 2 - timedelta(seconds=1)
    OutboxMessage.objects.update(claimed_at=long_ago)
    for row in rows:
        row.claimed_at = long_ago
    # The drain took the second once its claim looked dead.
    OutboxMessage.objects.filter(pk=rows[1].pk).update(claimed_at=timezone.now())

    assert outbox.outbox_messages_send(rows) == {}
    assert [m.to for m in mail.outbox] == [["a@example.org"]]
    assert OutboxMessage.objects.get(pk=rows[1].pk).sent_at is None
