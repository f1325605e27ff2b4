from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.management import call_command

from . import emails, outbox


# Signature confirmations come this way, with their own claim and sweep (campaigns); every
# other email is a row in the outbox first.
@shared_task(
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=settings.TASK_RETRY_MAX_COUNTDOWN,
    retry_jitter=True,
    max_retries=8,
)
def send_email(*, to, subject, text, html=None, from_email=None, headers=None):
    emails.email_deliver(
        to=to, subject=subject, text=text, html=html, from_email=from_email, headers=headers
    )


@shared_task
def send_outbox_message(*, message_id):
    # Failures are recorded on the row and retried by the drain, with backoff.
    outbox.outbox_message_send(message_id=message_id)


@shared_task
def drain_outbox():
    return outbox.outbox_drain()


@shared_task
def purge_outbox():
    return outbox.outbox_purge()


@shared_task
def publish_scheduled_pages():
    # Wagtail's scheduled publishing only happens when this command runs.
    call_command("publish_scheduled")


@shared_task
def clear_expired_sessions():
    call_command("clearsessions")
