from celery import shared_task

from . import services


@shared_task
def close_due_decisions():
    return services.decisions_close_due()
