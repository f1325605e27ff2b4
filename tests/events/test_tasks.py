import datetime as dt
import threading

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import timezone

from events import services
from events.factories import RsvpFactory
from events.models import Rsvp, RsvpStatus
from events.tasks import send_event_reminders


@pytest.fixture
def reminder_events(make_event):
    soon = timezone.now() + dt.timedelta(hours=23)
    tomorrow = make_event(title="Tomorrow", start=soon, format="online",
                          online_url="https://meet.example.org/tomorrow")  # fmt: skip
    RsvpFactory.create_batch(3, event=tomorrow, status=RsvpStatus.CONFIRMED)
    RsvpFactory(event=tomorrow, status=RsvpStatus.WAITING)
    RsvpFactory(event=tomorrow, status=RsvpStatus.CANCELLED)
    RsvpFactory(event=tomorrow, status=RsvpStatus.PENDING)
    later = make_event(title="Next week", start=timezone.now() + dt.timedelta(days=7))
    RsvpFactory(event=later, status=RsvpStatus.CONFIRMED)
    called_off = make_event(title="Called off", start=soon, cancelled=True)
    RsvpFactory(event=called_off, status=RsvpStatus.CONFIRMED)
    started = make_event(title="Started", start=timezone.now() - dt.timedelta(minutes=5))
    RsvpFactory(event=started, status=RsvpStatus.CONFIRMED)
    return tomorrow


@pytest.mark.django_db
def test_the_reminder_task_run_twice_sends_each_reminder_once(
    reminder_events, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_event_reminders.delay()
    with django_capture_on_commit_callbacks(execute=True):
        send_event_reminders.delay()
    confirmed = Rsvp.objects.filter(event=reminder_events, status=RsvpStatus.CONFIRMED)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        confirmed.values_list("email", flat=True)
    )
    assert all(message.subject == "Tomorrow: Tomorrow" for message in mail.outbox)
    assert all("meet.example.org/tomorrow" in message.body for message in mail.outbox)
    assert all("/cancel/" in message.body for message in mail.outbox)
    assert not confirmed.filter(reminder_sent_at__isnull=True).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_reminder_runs_at_once_still_send_each_reminder_once(reminder_events):
    barrier = threading.Barrier(2)
    counts = []

    def run():
        try:
            barrier.wait(timeout=10)
            counts.append(services.reminders_send())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(counts) == 3
    assert len(mail.outbox) == 3
    assert len({message.to[0] for message in mail.outbox}) == 3


def test_beat_runs_the_reminders():
    entry = settings.CELERY_BEAT_SCHEDULE["send-event-reminders"]
    assert entry["task"] == send_event_reminders.name
