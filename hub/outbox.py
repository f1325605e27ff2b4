"""The outbox: every email is a row in PostgreSQL first, and goes out from there.

`hub.emails.email_send` stores the rendered message in the caller's transaction and, once that
commits, hands the broker a task carrying only the row's id. If the broker is down the request still
succeeds and the row waits: the drain (beat, every minute) sends whatever no task took. A row
is claimed with a conditional UPDATE before it is sent, so a redelivered task, the drain and a
second worker never send it twice; a claim left by a worker that died expires after
CLAIM_TIMEOUT. A failed send is tried again with backoff, and after MAX_ATTEMPTS the row is
marked failed for moderators to see ("Undelivered email" in the admin).

Many messages at once (a digest batch) are written claimed, with one INSERT, by a worker that
sends them itself right after the commit over one connection (`outbox_messages_claimed`,
`outbox_messages_send`); what it does not send, the drain does once the claims expire.
"""

import contextlib
import logging
import time
from datetime import timedelta
from smtplib import SMTPDataError, SMTPRecipientsRefused, SMTPSenderRefused

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)

# Longer than any one send takes; a claim older than this belongs to a worker that died.
CLAIM_TIMEOUT = timedelta(minutes=5)
MAX_ATTEMPTS = 8
BACKOFF_FIRST = timedelta(seconds=30)
BACKOFF_MAX = timedelta(minutes=30)
DRAIN_LIMIT = 500
# Sent rows are kept a week (to answer "did it go?"), failed ones a month; they hold addresses.
KEEP_SENT = timedelta(days=7)
KEEP_FAILED = timedelta(days=30)
# Attachments live in the outbox row: small text files only, never a document or an image.
ATTACHMENTS_MAX_CHARS = 100_000
# The server's answer about one message: the connection is still good for the next.
MESSAGE_REFUSED = (SMTPRecipientsRefused, SMTPSenderRefused, SMTPDataError)


# After a refusal, publishing to that broker is not tried again for this long: a hung broker
# costs one request a timeout, not every request.
RETRY_BROKER_AFTER = 5.0
_broker_down_until: dict[str, float] = {}


def task_publish(task, *, kwargs: dict, queue: str | None = None) -> bool:
    """Hand `task` to the broker with one quick try; False (logged) when it is refused.

    kombu's default reconnect loop would hold the request for seconds while the broker is
    down; whatever is not handed over now is picked up later from PostgreSQL.
    """
    options = {"queue": queue} if queue else {}
    app = task.app
    if app.conf.task_always_eager:
        try:
            task.apply_async(kwargs=kwargs, **options)
        except Exception:
            logger.warning("%s %s failed in process", task.name, kwargs, exc_info=True)
            return False
        return True
    broker = app.conf.broker_url
    if time.monotonic() < _broker_down_until.get(broker, 0.0):
        return False
    try:
        with app.pool.acquire(block=True) as connection:
            # One retry: a pooled connection may be stale after the broker restarted.
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0.1)
            task.apply_async(kwargs=kwargs, connection=connection, retry=False, **options)
    except Exception:
        # Any failure to hand over: the row is committed and waits for its sweep.
        _broker_down_until[broker] = time.monotonic() + RETRY_BROKER_AFTER
        logger.warning("%s %s not handed to the broker", task.name, kwargs, exc_info=True)
        return False
    return True


def attachments_checked(attachments: list[dict]) -> list[dict]:
    """Attachments as stored: each `{"filename", "content", "mimetype"}`, all text."""
    checked = [
        {
            "filename": str(item["filename"]),
            "content": str(item["content"]),
            "mimetype": str(item["mimetype"]),
        }
        for item in attachments
    ]
    if sum(len(item["content"]) for item in checked) > ATTACHMENTS_MAX_CHARS:
        raise ValueError(f"Attachments must be small: {ATTACHMENTS_MAX_CHARS} characters in all.")
    return checked


def _claimable() -> Q:
    # The database's clock decides what is due, so web and worker hosts need not agree.
    return Q(sent_at__isnull=True, failed_at__isnull=True, next_attempt_at__lte=Now()) & (
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=timezone.now() - CLAIM_TIMEOUT)
    )


def outbox_message_cancel(*, message_id: int) -> bool:
    """Take back a message no worker has started on (its content went stale); False when it
    has gone, or is being sent right now."""
    deleted, _ = OutboxMessage.objects.filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=timezone.now() - CLAIM_TIMEOUT),
        pk=message_id,
        sent_at__isnull=True,
    ).delete()
    return bool(deleted)


def outbox_backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed send."""
    return min(BACKOFF_FIRST * 2 ** (attempts - 1), BACKOFF_MAX)


def outbox_message_send(*, message_id: int) -> bool:
    """Claim one message and send it; False when someone else has it, or it is not due."""
    if not OutboxMessage.objects.filter(_claimable(), pk=message_id).update(
        claimed_at=timezone.now()
    ):
        return False
    message = OutboxMessage.objects.get(pk=message_id)
    try:
        _deliver(message)
    except Exception as error:
        # SMTP, an email provider's API, or a message it refuses: all are tried again later,
        # and given up on after MAX_ATTEMPTS, so one bad message never blocks the rest.
        logger.warning("Email %s not sent", message_id, exc_info=True)
        _message_failed(message=message, error=error)
        return False
    _message_sent(message)
    return True


def outbox_messages_claimed(messages: list[dict]) -> list[OutboxMessage]:
    """Store emails (`outbox_message_create`'s arguments) with one INSERT in the current
    transaction, claimed by the caller, who sends them right after commit with
    `outbox_messages_send` rather than a task each. If it dies first, the claims expire and the
    drain sends them."""
    now = timezone.now()
    return OutboxMessage.objects.bulk_create(
        OutboxMessage(
            to=list(message["to"]),
            subject=message["subject"],
            text=message["text"],
            html=message.get("html") or "",
            from_email=message.get("from_email") or "",
            headers=message.get("headers") or {},
            attachments=attachments_checked(message.get("attachments") or []),
            claimed_at=now,
        )
        for message in messages
    )


def outbox_messages_claim(message_ids: list[int]) -> list[OutboxMessage]:
    """Claim those of `message_ids` that are due and unclaimed, for `outbox_messages_send`."""
    now = timezone.now()
    OutboxMessage.objects.filter(_claimable(), pk__in=message_ids).update(claimed_at=now)
    return list(OutboxMessage.objects.filter(pk__in=message_ids, claimed_at=now).order_by("pk"))


def outbox_messages_send(messages: list[OutboxMessage]) -> dict[int, Exception]:
    """Send messages from `outbox_messages_claimed` over one connection; returns the errors by
    message id.

    Each is marked sent as it goes, so a worker killed mid-batch leaves one message in doubt,
    as `outbox_message_send` does. A message the server refuses alone is tried again with
    backoff and the rest go on; when the connection fails, the message in hand is tried again
    with backoff and the claims on the rest are let go, for the drain.
    """
    errors = {}
    pending = list(messages)
    connection = get_connection()
    try:
        while pending:
            if timezone.now() - pending[0].claimed_at > CLAIM_TIMEOUT / 2:
                # A slow batch renews its claims before they expire and the drain takes them.
                pending = _claims_renew(pending)
                continue
            message = pending.pop(0)
            try:
                connection.open()  # once: it stays open between messages
                _deliver(message, connection=connection)
            except MESSAGE_REFUSED as error:
                logger.warning("Email %s refused", message.pk, exc_info=True)
                errors[message.pk] = error
                _message_failed(message=message, error=error)
                continue
            except Exception as error:
                logger.warning("Email %s not sent, nor the %d after it", message.pk,
                               len(pending), exc_info=True)  # fmt: skip
                errors[message.pk] = error
                _message_failed(message=message, error=error)
                _claims_release(pending)
                break
            _message_sent(message)
    finally:
        # Every message is marked by now: a failed goodbye to the server changes nothing.
        with contextlib.suppress(Exception):
            connection.close()
    return errors


def _deliver(message: OutboxMessage, *, connection=None) -> None:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text,
        from_email=message.from_email or None,
        to=message.to,
        headers=message.headers,
        connection=connection,
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    for attachment in message.attachments:
        email.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    email.send()


def _message_sent(message: OutboxMessage) -> None:
    OutboxMessage.objects.filter(pk=message.pk).update(sent_at=timezone.now(), last_error="")


def _claims_renew(messages: list[OutboxMessage]) -> list[OutboxMessage]:
    """Claim afresh those of `messages` whose claim is still ours; returns them."""
    now = timezone.now()
    ids = [message.pk for message in messages]
    OutboxMessage.objects.filter(
        pk__in=ids, claimed_at__in={message.claimed_at for message in messages}
    ).update(claimed_at=now)
    held = set(
        OutboxMessage.objects.filter(pk__in=ids, claimed_at=now).values_list("pk", flat=True)
    )
    renewed = [message for message in messages if message.pk in held]
    for message in renewed:
        message.claimed_at = now
    return renewed


def _claims_release(messages: list[OutboxMessage]) -> None:
    OutboxMessage.objects.filter(
        pk__in=[message.pk for message in messages],
        claimed_at__in={message.claimed_at for message in messages},
    ).update(claimed_at=None)


def _message_failed(*, message: OutboxMessage, error: Exception) -> None:
    attempts = message.attempts + 1
    now = timezone.now()
    fields = {"attempts": attempts, "claimed_at": None, "last_error": f"{error!r}"[:1000]}
    if attempts >= MAX_ATTEMPTS:
        fields["failed_at"] = now
    else:
        fields["next_attempt_at"] = now + outbox_backoff(attempts)
    OutboxMessage.objects.filter(pk=message.pk).update(**fields)


def outbox_drain(*, limit: int = DRAIN_LIMIT) -> int:
    """Send what no task took (the broker was down or lost it) and retries that are due."""
    due = (
        OutboxMessage.objects.filter(_claimable())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(outbox_message_send(message_id=pk) for pk in list(due))


def outbox_purge() -> int:
    now = timezone.now()
    deleted, _ = OutboxMessage.objects.filter(
        Q(sent_at__lt=now - KEEP_SENT) | Q(failed_at__lt=now - KEEP_FAILED)
    ).delete()
    return deleted
