"""Publishing an event sends its co-organising invitations: drafts invite nobody."""

from wagtail.signals import page_published

from .models import EventPage
from .services import co_organisers_invite


def _event_published(sender, instance, revision=None, **kwargs):
    co_organisers_invite(event=instance, invited_by=revision.user if revision else None)


def connect() -> None:
    page_published.connect(_event_published, sender=EventPage, dispatch_uid="events-co-organisers")
