"""One-off emails to many people, sent once: a demand delivered to its target, the target's
response, a milestone reached, a pledge that binds or lapses.

`announce` records the announcement's key and writes every message to the outbox in one
transaction, so a second caller (a retried task, the sweep that catches what a lost task
missed, a concurrent worker) finds the key taken and writes nothing. After commit the messages
are handed to workers in batches, each sent over one connection; whatever no worker takes,
the outbox's drain sends.
"""

from collections.abc import Iterable
from itertools import islice

from django.db import IntegrityError, transaction

from . import outbox
from .models import Announcement, OutboxMessage
from .tasks import send_outbox_messages

WRITE_BATCH = 500
SEND_BATCH = 100


def announced(key: str) -> bool:
    return Announcement.objects.filter(key=key).exists()


def announce(*, key: str, messages: Iterable[dict]) -> int | None:
    """Write `messages` (dicts of `hub.emails.email_send`'s arguments) to the outbox once for
    `key`: the number written, or None when `key` was announced before. Recipients are the
    caller's to deduplicate; `messages` may be a generator, read once, inside the transaction.
    """
    written: list[int] = []
    with transaction.atomic():
        try:
            with transaction.atomic():
                announcement = Announcement.objects.create(key=key)
        except IntegrityError:
            return None
        messages = iter(messages)
        while batch := list(islice(messages, WRITE_BATCH)):
            rows = OutboxMessage.objects.bulk_create(
                OutboxMessage(
                    to=list(message["to"]),
                    subject=message["subject"],
                    text=message["text"],
                    html=message.get("html") or "",
                    from_email=message.get("from_email") or "",
                    headers=message.get("headers") or {},
                    attachments=outbox.attachments_checked(message.get("attachments") or []),
                )
                for message in batch
            )
            written.extend(row.pk for row in rows)
        Announcement.objects.filter(pk=announcement.pk).update(recipients=len(written))
        transaction.on_commit(lambda: _hand_over(written))
    return len(written)


def _hand_over(message_ids: list[int]) -> None:
    for start in range(0, len(message_ids), SEND_BATCH):
        chunk = message_ids[start : start + SEND_BATCH]
        outbox.task_publish(send_outbox_messages, kwargs={"message_ids": chunk})
