"""Outgoing email: rendered in the request, stored in the outbox (hub.outbox) with the change
it tells about."""

from django.db import transaction
from django.template.loader import render_to_string

from . import outbox
from .models import OutboxMessage
from .tasks import send_outbox_message


def email_render(*, template_prefix: str, context: dict) -> dict:
    """Render `<prefix>_subject.txt`, `<prefix>_message.txt` and `<prefix>_message.html`."""
    subject = render_to_string(f"{template_prefix}_subject.txt", context)
    return {
        "subject": " ".join(subject.split()),
        "text": render_to_string(f"{template_prefix}_message.txt", context),
        "html": render_to_string(f"{template_prefix}_message.html", context),
    }


def email_send(
    *,
    to: list[str],
    subject: str,
    text: str,
    html: str | None = None,
    from_email: str | None = None,
    headers: dict | None = None,
    attachments: list[dict] | None = None,
) -> OutboxMessage:
    """Queue an email: stored in the current transaction, so nothing is sent on rollback; on
    commit a worker is asked to send it, and nothing is lost while the broker is down.

    `attachments` are small text files, each `{"filename", "content", "mimetype"}`."""
    attachments = outbox.attachments_checked(attachments or [])
    message = OutboxMessage.objects.create(
        to=list(to),
        subject=subject,
        text=text,
        html=html or "",
        from_email=from_email or "",
        headers=headers or {},
        attachments=attachments,
    )
    transaction.on_commit(
        lambda: outbox.task_publish(send_outbox_message, kwargs={"message_id": message.pk})
    )
    return message
