from celery import shared_task
from django.core.management import call_command

from . import outbox


@shared_task
def send_outbox_message(*, message_id):
    # Failures are recorded on the row and retried by the drain, with backoff.
    outbox.outbox_message_send(message_id=message_id)


@shared_task
def send_outbox_messages(*, message_ids):
    # One connection for a batch; what another worker or the drain has claimed is left to it.
    outbox.outbox_messages_send(outbox.outbox_messages_claim(message_ids))


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
