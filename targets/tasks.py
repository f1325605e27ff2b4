from celery import shared_task

from . import announcements, overdue


@shared_task
def count_days_overdue():
    return overdue.days_overdue_count()


@shared_task
def announce_delivery(delivery_id: int):
    return announcements.delivery_announce(delivery_id=delivery_id)


@shared_task
def announce_response(delivery_id: int):
    return announcements.response_announce(delivery_id=delivery_id)


@shared_task
def announce_missed():
    return announcements.announcements_missed()
