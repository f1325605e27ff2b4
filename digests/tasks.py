from smtplib import SMTPException

from celery import shared_task
from django.conf import settings

from . import services as digest_services


@shared_task
def purge_unconfirmed_subscribers():
    return digest_services.subscribers_purge_unconfirmed()


@shared_task(bind=True)
def start_digest_run(self, *, frequency):
    # Batches go to the queue this run came from, so a worker pool on its own queue keeps them.
    queue = (self.request.delivery_info or {}).get("routing_key")

    def dispatch(run_id, member_ids):
        send_digest_batch.apply_async(
            kwargs={"run_id": run_id, "member_ids": member_ids}, queue=queue
        )

    digest_services.digest_run_start(frequency=frequency, dispatch=dispatch)


@shared_task(bind=True, max_retries=6)
def send_digest_batch(self, *, run_id, member_ids):
    last_attempt = self.request.retries >= self.max_retries
    try:
        digest_services.digest_batch_send(
            run_id=run_id, member_ids=member_ids, last_attempt=last_attempt
        )
    except (SMTPException, OSError) as exc:
        if last_attempt:
            raise
        countdown = min(60 * 2**self.request.retries, settings.TASK_RETRY_MAX_COUNTDOWN)
        raise self.retry(exc=exc, countdown=countdown) from exc
