"""Publishing an event sends its co-organising invitations (drafts invite nobody) and holds any
places an editor added for the people waiting."""

from wagtail.signals import page_published

from .models import EventPage
from .services import co_organisers_invite, waiting_lists_offer


def _event_published(sender, instance, revision=None, **kwargs):
    co_organisers_invite(event=instance, invited_by=revision.user if revision else None)
    waiting_lists_offer(event=instance)


def connect() -> None:
    page_published.connect(_event_published, sender=EventPage, dispatch_uid="events-co-organisers")
