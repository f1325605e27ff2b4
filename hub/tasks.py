from smtplib import SMTPException

from celery import shared_task
from django.core.management import call_command

from . import emails


@shared_task(
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=8,
)
def send_email(*, to, subject, text, html=None, from_email=None, headers=None):
    emails.email_deliver(
        to=to, subject=subject, text=text, html=html, from_email=from_email, headers=headers
    )


@shared_task
def publish_scheduled_pages():
    # Wagtail's scheduled publishing only happens when this command runs.
    call_command("publish_scheduled")


@shared_task
def clear_expired_sessions():
    call_command("clearsessions")
