from celery import shared_task

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


@shared_task
def send_digest_batch(*, run_id, member_ids):
    # Not retried: once a digest is in the outbox, the outbox retries it, with backoff.
    digest_services.digest_batch_send(run_id=run_id, member_ids=member_ids)
