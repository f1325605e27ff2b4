"""Outgoing email: rendered in the request, stored in the outbox with the change it tells about."""

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from .models import OutboxMessage


def email_render(*, template_prefix: str, context: dict) -> dict:
    """Render `<prefix>_subject.txt`, `<prefix>_message.txt` and `<prefix>_message.html`."""
    subject = render_to_string(f"{template_prefix}_subject.txt", context)
    return {
        "subject": " ".join(subject.split()),
        "text": render_to_string(f"{template_prefix}_message.txt", context),
        "html": render_to_string(f"{template_prefix}_message.html", context),
    }


def email_send(**message) -> OutboxMessage:
    """Queue an email, taking `email_deliver`'s arguments; nothing is sent on rollback, and
    nothing is lost while the broker is down (hub.outbox)."""
    from .outbox import outbox_message_create

    return outbox_message_create(**message)


def email_deliver(
    *,
    to: list[str],
    subject: str,
    text: str,
    html: str | None = None,
    from_email: str | None = None,
    headers: dict | None = None,
    connection=None,
) -> None:
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=from_email,
        to=to,
        headers=headers or {},
        connection=connection,
    )
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
