"""A dead worker's digest batch comes back just after its claims go stale, and a run's counts
are exactly what was sent, however the batches ran, crashed and were sent again."""

import contextlib
import datetime as dt
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db.models import F
from django.utils import timezone

from config.celery import app
from digests import services, tasks
from digests.factories import MemberPreferencesFactory
from digests.models import DeliveryStatus, DigestDelivery
from hub import outbox
from hub.models import OutboxMessage
from hub.outbox import CLAIM_TIMEOUT
from networks.factories import NetworkPageFactory, PositionPageFactory
from tests.conftest import run_in_threads

VISIBILITY_TIMEOUT = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]


def test_a_dead_workers_batch_is_redelivered_just_after_its_claims_go_stale():
    """Sooner, the redelivered batch could take none of the claims and would send nothing; much
    later, its members wait past the claim timeout the README promises."""
    assert app.conf.broker_transport_options["visibility_timeout"] == VISIBILITY_TIMEOUT
    assert settings.DIGEST_CLAIM_TIMEOUT < VISIBILITY_TIMEOUT <= settings.DIGEST_CLAIM_TIMEOUT + 60


@pytest.mark.django_db
def test_no_task_waits_for_a_retry_past_the_visibility_timeout(settings):
    """A task waiting for its countdown is unacknowledged: past the timeout, Redis hands it to a
    second worker too. So no task retries: an email that did not go waits in the outbox."""
    app.loader.import_default_modules()
    ours = [task for name, task in app.tasks.items() if name.split(".")[0] in settings.LOCAL_APPS]
    assert tasks.send_digest_batch in ours
    for task in ours:
        assert not getattr(task, "autoretry_for", ()), task.name

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens there
    network = NetworkPageFactory()
    PositionPageFactory(parent=network, first_published_at=timezone.now())
    member = MemberPreferencesFactory(networks=[network])
    run = services.digest_run_start(frequency="daily", dispatch=lambda run_id, ids: None)
    tasks.send_digest_batch.apply(kwargs={"run_id": run.pk, "member_ids": [member.pk]}).get()
    assert OutboxMessage.objects.get().attempts == 1


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing in the batch catches it, so nothing after it runs."""


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_batches_and_a_batch_sent_again_after_a_crash_count_exactly(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    network = NetworkPageFactory()
    PositionPageFactory(parent=network, first_published_at=timezone.now())
    members = [MemberPreferencesFactory(networks=[network]) for _ in range(160)]
    batches = []
    # Four batches of 40, sent by four workers at once.
    run = services.digest_run_start(
        frequency="daily", dispatch=lambda run_id, ids: batches.append(ids), batch_size=40
    )
    assert len(batches) == 4
    doomed = next(m for m in members if m.pk == batches[0][9])
    send = EmailBackend.send_messages

    def send_or_die(backend, messages):
        if messages[0].to == [doomed.user.email]:
            raise WorkerKilled
        return send(backend, messages)

    def send_batch(index):
        with contextlib.suppress(WorkerKilled):
            services.digest_batch_send(run_id=run.pk, member_ids=batches[index])

    with mock.patch.object(EmailBackend, "send_messages", send_or_die):
        run_in_threads(len(batches), send_batch)
    sent_before_the_crash = len(mail.outbox)
    assert sent_before_the_crash < 160

    # The dead worker's digests already in the outbox go once its claims there expire.
    OutboxMessage.objects.filter(sent_at__isnull=True).update(
        claimed_at=F("claimed_at") - CLAIM_TIMEOUT
    )
    assert outbox.outbox_drain() == 160 - sent_before_the_crash
    # The claim timeout passes and the broker hands the dead worker's batch to another.
    stale = dt.timedelta(seconds=settings.DIGEST_CLAIM_TIMEOUT + 1)
    DigestDelivery.objects.filter(status=DeliveryStatus.SENDING).update(
        claimed_at=F("claimed_at") - stale
    )
    services.digest_batch_send(run_id=run.pk, member_ids=batches[0])

    run.refresh_from_db()
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted(m.user.email for m in members), "each member once"
    statuses = DigestDelivery.objects.filter(run=run).values_list("status", flat=True)
    assert list(statuses) == [DeliveryStatus.SENT] * 160
    assert (run.recipients, run.sent, run.skipped_empty, run.failed) == (160, 160, 0, 0)
    assert run.batches_pending == 0 and run.finished_at is not None
