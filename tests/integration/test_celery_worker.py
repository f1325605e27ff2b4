import time
from datetime import timedelta

import pytest
from django.utils import timezone

from hub.factories import ContentPageFactory
from hub.models import ContentPage, HomePage
from hub.tasks import publish_scheduled_pages

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_task_sent_through_redis_runs_on_a_real_worker_and_changes_the_database(
    celery_worker,
):
    page = ContentPageFactory(parent=HomePage.objects.get(), title="Scheduled", live=False)
    page.go_live_at = timezone.now() + timedelta(seconds=1)
    page.save_revision().publish()
    page.refresh_from_db()
    assert not page.live, "a page with a future go-live date waits for the scheduler"

    time.sleep(1.2)
    publish_scheduled_pages.apply_async(queue=celery_worker)

    deadline = time.monotonic() + 30
    while not ContentPage.objects.get(pk=page.pk).live:
        assert time.monotonic() < deadline, "the worker never published the scheduled page"
        time.sleep(0.2)
