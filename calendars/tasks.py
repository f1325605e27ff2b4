from celery import shared_task

from hub.outbox import task_publish

from . import services


@shared_task
def sync_due_calendars():
    """Run by beat: each feed due for a sync gets a task of its own, so one slow or broken
    calendar holds up no other. A feed queued twice is synced once (the lock, then the check
    that it is still due)."""
    due = list(services.feeds_due())
    for feed_id in due:
        task_publish(sync_calendar, kwargs={"feed_id": feed_id, "only_if_due": True})
    return len(due)


@shared_task
def sync_calendar(feed_id: int, only_if_due: bool = False):
    feed = services.feed_sync(feed_id=feed_id, only_if_due=only_if_due)
    return feed.last_status if feed else None
