from celery import shared_task

from . import services


@shared_task
def send_event_reminders():
    """Run by beat every few minutes; each attendee's reminder is claimed once in the database."""
    return services.reminders_send()


@shared_task
def lapse_place_offers():
    """Run by beat every minute: held places past their deadline pass on to the next person."""
    return services.offers_lapse()
