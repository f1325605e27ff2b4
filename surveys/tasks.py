from celery import shared_task

from . import retention


@shared_task
def retire_survey_responses():
    """Delete or anonymise the answers of every survey whose retention period is over."""
    return retention.responses_retire_due()
